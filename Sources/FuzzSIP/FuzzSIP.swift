import Base
import Capture
import SIP

/// libFuzzer target: bytes as one SIP message (header parser, every accessor, body reading) and
/// as a TCP byte stream cut into pieces the input itself chooses (the stream framer, with gaps).
enum FuzzSIPTarget {
    static func run(_ bytes: [UInt8]) {
        let end = SIPHeaderParser.headerEnd(bytes, from: 0)
        if let message = SIPHeaderParser.parse(bytes[0..<(end ?? bytes.count)]) {
            _ = message.cseq
            _ = message.callID
            _ = message.topViaBranch
            _ = message.from
            _ = message.to
            _ = message.fromTag
            _ = message.toTag
            _ = message.requestSIPURI
            _ = message.headerValues("via")
            let declared = message.declaredContentLength
            let body = Array(bytes[(end ?? bytes.count)...])
            _ = BodyReading.read(body: body, declared: declared, transport: .udp, truncatedByCapture: false, frame: 1)
            _ = BodyReading.read(body: body, declared: declared, transport: .tcp, truncatedByCapture: true, frame: 1)
        }
        // The stream: the first byte sets the piece size; a piece starting with 0xff is a gap.
        var framer = SIPStreamFramer()
        framer.maxHeaderBytes = 512
        framer.maxBodyBytes = 1024
        framer.maxHuntBytes = 2048
        let step = max(1, Int(bytes.first ?? 1) % 64 + 1)
        var i = min(1, bytes.count)
        var frame = 1
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        let sink: (SIPStreamFramer.Output) -> Void = { _ in }
        while i < bytes.count {
            let piece = bytes[i..<min(bytes.count, i + step)]
            if piece.first == 0xff {
                framer.gap(missing: piece.count, frame: frame, truncatedByCapture: piece.count % 2 == 0, emit: sink)
            } else {
                framer.append(piece, frame: frame, time: time, emit: sink)
            }
            precondition(framer.bufferedBytes <= 512 + 1024 + 2048 + 2 * step + 64 * 1024, "framer holds too much")
            i += step
            frame += 1
        }
        framer.close(emit: sink)
    }
}

#if FUZZING
// SwiftPM links an executable's entry point as `FuzzSIP_main`: hand control to libFuzzer's driver there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzSIP_main")
public func fuzzSIPMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzSIP)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzSIPTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum FuzzSIPStub {
    static func main() {
        print("FuzzSIP is a libFuzzer target: run scripts/fuzz")
    }
}
#endif
