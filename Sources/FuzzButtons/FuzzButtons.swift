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
