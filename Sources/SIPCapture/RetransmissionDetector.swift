import Base
import Capture

/// Tells whether a message repeats one seen moments ago (same direction, same top Via branch,
/// same CSeq, same method or status): a UDP retransmission per RFC 3261 Timer E/G.
///
/// Bounded: keys older than `window` seconds (Timer F, 32 s, plus margin) are forgotten.
public struct RetransmissionDetector {
    private struct Key: Hashable {
        var source: Endpoint
        var destination: Endpoint
        var branch: String
        var callID: String
        var cseq: UInt32
        var what: String
    }

    public var window: Double
    private var seen: [Key: Timestamp] = [:]
    private var lastPrune: Timestamp?

    public init(window: Double = 40) { self.window = window }

    /// True when `m` repeats an earlier message; records it either way.
    public mutating func isRetransmission(_ m: CapturedMessage) -> Bool {
        guard let cseq = m.message.cseq else { return false }
        let what = m.message.method ?? "\(m.message.statusCode ?? 0) \(cseq.method)"
        let key = Key(source: m.source, destination: m.destination, branch: m.message.topViaBranch ?? "",
                      callID: m.message.callID ?? "", cseq: cseq.number, what: what)
        prune(now: m.time)
        if let t = seen[key], m.time.seconds(since: t) <= window {
            return true
        }
        seen[key] = m.time
        return false
    }

    private mutating func prune(now: Timestamp) {
        if let last = lastPrune, now.seconds(since: last) < window { return }
        lastPrune = now
        seen = seen.filter { now.seconds(since: $0.value) <= window }
    }
}
