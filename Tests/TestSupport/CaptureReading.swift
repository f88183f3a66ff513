import Capture
import SIPCapture

/// Every frame the reader gives, then its problems' codes.
public func readAll(_ path: String) throws -> (frames: [CapturedFrame], problems: [String], reader: CaptureReader) {
    let reader = try CaptureReader(path: path)
    var frames: [CapturedFrame] = []
    while let f = reader.next() { frames.append(f) }
    return (frames, reader.problems.map(\.code), reader)
}

/// The SIP messages of a capture file as the analysis reads them, in frame order: a test that
/// sends or replays a capture compares against these, read without the code under test.
public func extractedMessages(_ path: String) throws -> [CapturedMessage] {
    let reader = try CaptureReader(path: path)
    let extractor = SIPMessageExtractor()
    var out: [CapturedMessage] = []
    let emit: (SIPMessageExtractor.Output) -> Void = { if case .message(let m) = $0 { out.append(m) } }
    while let frame = reader.next() { extractor.process(frame, emit: emit) }
    extractor.finish(emit: emit)
    return out.sorted { $0.frame < $1.frame }
}
