import Base
import Capture

/// Tells whether a message repeats one seen moments ago (same direction, same top Via branch,
/// same CSeq, same method or status): a UDP retransmission per RFC 3261 Timer E/G.
///
/// Bounded: keys older than `window` seconds (Timer F, 32 s, plus margin) are forgotten, and never
/// more than `maxKeys` are kept: a window in time alone grew with the message rate (a fleet's
/// 15,000 documents a second held over a million keys, some 300 MB).
public struct RetransmissionDetector {
    /// What identifies a message, hashed to one word: the endpoints, top Via branch, Call-ID,
    /// CSeq and method or status. A key of strings cost a tenth of a collector's watch loop;
    /// two different messages meeting in 64 bits among 65,536 keys is about one in 10^14.
    private typealias Key = Int

    public var window: Double
    /// 65,536 keys are about 17 MB: 47 s of a busy PBX's 1,400 messages a second, past Timer F.
    public var maxKeys: Int
    private var seen: [Key: Timestamp] = [:]
    private var lastPrune: Timestamp?
    /// Keys forgotten before their window ended, to keep the bound.
    public private(set) var forgottenEarly = 0

    public init(window: Double = 40, maxKeys: Int = 65_536) {
        self.window = window
        self.maxKeys = max(4, maxKeys)
    }

    /// Keys held now (for the bound's test).
    public var count: Int { seen.count }

    /// True when `m` repeats an earlier message; records it either way.
    public mutating func isRetransmission(_ m: CapturedMessage) -> Bool {
        guard let cseq = m.message.cseq else { return false }
        var h = Hasher()
        h.combine(m.source)
        h.combine(m.destination)
        h.combine(m.message.topViaBranch ?? "")
        h.combine(m.message.callID ?? "")
        h.combine(cseq.number)
        // As the text "METHOD", or "STATUS CSEQ-METHOD" for a response, was: told apart by the tag.
        if let method = m.message.method {
            h.combine(0 as UInt8)
            h.combine(method)
        } else {
            h.combine(1 as UInt8)
            h.combine(m.message.statusCode ?? 0)
            h.combine(cseq.method)
        }
        let key = h.finalize()
        prune(now: m.time)
        if let t = seen[key], m.time.seconds(since: t) <= window {
            return true
        }
        if seen.count >= maxKeys { shrink(now: m.time) }
        seen[key] = m.time
        return false
    }

    /// At the bound: keep the newest keys, halving the horizon until at most three quarters of the
    /// bound remain (so the next shrink is a quarter of the bound away, not one key away).
    private mutating func shrink(now: Timestamp) {
        let before = seen.count
        var horizon = window
        // A horizon that reaches past the oldest key keeps them all: skip that filter (a copy of the
        // whole table) and halve again. A busy fleet's keys span seconds, not the 40 s window.
        var oldest = seen.values.min()
        while seen.count > maxKeys * 3 / 4, horizon > 0.001 {
            horizon /= 2
            if let oldest, now.seconds(since: oldest) <= horizon { continue }
            seen = seen.filter { now.seconds(since: $0.value) <= horizon }
            oldest = seen.values.min()
        }
        // All within a millisecond (a burst): keep any half.
        if seen.count > maxKeys * 3 / 4 { seen = Dictionary(uniqueKeysWithValues: seen.prefix(maxKeys / 2).map { ($0.key, $0.value) }) }
        forgottenEarly += before - seen.count
    }

    private mutating func prune(now: Timestamp) {
        if let last = lastPrune, now.seconds(since: last) < window { return }
        lastPrune = now
        seen = seen.filter { now.seconds(since: $0.value) <= window }
    }
}
