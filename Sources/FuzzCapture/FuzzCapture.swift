import SIPCapture
import Base
import Analysis
import Capture
import SIP

/// libFuzzer target: bytes read as a capture file (pcap or pcapng; or, after `BSF1`, described by
/// the structure-aware mode) through the whole pipeline,
/// link → IP (defragmented) → UDP | TCP (reassembled) → SIP framing → exchanges → key timeline.
/// Built only by `scripts/fuzz` (`-DFUZZING`, `-sanitize=fuzzer,address`); a plain build gets a stub.
enum FuzzCaptureTarget {
    static func run(_ input: [UInt8]) {
        // `BSF1…` inputs describe a well-framed file with fuzzed fields (StructuredCapture.swift).
        let bytes = StructuredCapture.build(input) ?? input
        guard let reader = try? CaptureReader(bytes: bytes) else { return }
        // Small bounds so the fuzzer reaches the eviction and flushing paths quickly.
        let extractor = SIPMessageExtractor(ordered: true, maxHeldOutputs: 16)
        var tracker = ExchangeTracker()
        var timeline = KeyTimeline()
        let handle: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m):
                tracker.add(m)
                _ = timeline.add(m, outcome: .unknown, status: nil)
                _ = m.message.topViaBranch
                _ = m.message.from?.user
                _ = m.message.cseq
            case .unreachable(let icmp, let time):
                tracker.add(icmp, time: time)
            case .diagnostic:
                break
            }
        }
        var frames = 0
        while let frame = reader.next(), frames < 100_000 {
            extractor.process(frame, emit: handle)
            frames += 1
        }
        extractor.finish(emit: handle)
        _ = tracker.finish(captureEnd: Timestamp(seconds: 0, nanoseconds: 0))
        _ = timeline.phones
    }
}

#if FUZZING
// SwiftPM links an executable's entry point as `FuzzCapture_main`: hand control to libFuzzer's driver there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzCapture_main")
public func fuzzCaptureMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzCapture)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzCaptureTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum FuzzCaptureStub {
    static func main() {
        print("FuzzCapture is a libFuzzer target: run scripts/fuzz")
    }
}
#endif
