import Base
import SIP

/// Feeds a SIP stream framer and collects what it gives out: the framer tests (SIP) and the
/// hostile-stream tests (SIPCapture) read messages and diagnostics from it.
public struct FramerHarness {
    public var framer = SIPStreamFramer()
    public var messages: [FramedMessage] = []
    public var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func feed(_ b: [UInt8], frame: Int, seconds: Int64 = 0) {
        var out: [SIPStreamFramer.Output] = []
        framer.append(b[...], frame: frame, time: Timestamp(seconds: seconds, nanoseconds: 0)) { out.append($0) }
        take(out)
    }
    public mutating func feed(_ s: String, frame: Int) { feed(bytes(s), frame: frame) }

    public mutating func gap(_ missing: Int, frame: Int, truncated: Bool = false) {
        var out: [SIPStreamFramer.Output] = []
        framer.gap(missing: missing, frame: frame, truncatedByCapture: truncated) { out.append($0) }
        take(out)
    }

    public mutating func close() {
        var out: [SIPStreamFramer.Output] = []
        framer.close { out.append($0) }
        take(out)
    }

    private mutating func take(_ out: [SIPStreamFramer.Output]) {
        for o in out {
            switch o {
            case .message(let m): messages.append(m)
            case .diagnostic(let d): diagnostics.append(d)
            }
        }
    }

    public var callIDs: [String] { messages.map { $0.message.callID ?? "?" } }
}
