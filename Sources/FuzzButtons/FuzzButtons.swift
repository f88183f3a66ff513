import Buttons

/// libFuzzer target: bytes as an x-buttons body (the decoder, its findings, the encoders).
enum FuzzButtonsTarget {
    static func run(_ bytes: [UInt8]) {
        let document = ButtonsDocument(decoding: bytes)
        _ = document.diagnostics
        _ = document.keys
        _ = document.hasErrors
        let encoded = ButtonsEncoder.encode(document.descriptions)
        // What we write must read back without errors of our own making.
        _ = ButtonsDocument(decoding: encoded)
    }
}

#if FUZZING
// SwiftPM links an executable's entry point as `FuzzButtons_main`: hand control to libFuzzer's driver there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzButtons_main")
public func fuzzButtonsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzButtons)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzButtons(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzButtonsTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum FuzzButtonsStub {
    static func main() {
        print("FuzzButtons is a libFuzzer target: run scripts/fuzz")
    }
}
#endif
