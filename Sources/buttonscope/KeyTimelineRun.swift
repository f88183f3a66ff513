import Analysis
import Capture
import SIP

/// One pass of a capture through the exchange tracker and the key timeline, shared by
/// `timeline`, `state` and `lint`: the tracker decides each request's fate, then the timeline
/// reads the requests in frame order.
struct KeyTimelineRun {
    var loaded: LoadedCapture
    var outcomes: OutcomeIndex

    static func load(_ path: String) throws -> KeyTimelineRun {
        let loaded = try LoadedCapture.load(path)
        var tracker = ExchangeTracker()
        // Messages and ICMP errors in capture order, so the tracker can retire old transactions safely.
        var icmp = loaded.unreachables.sorted { $0.time < $1.time }[...]
        for m in loaded.messages {
            while let next = icmp.first, next.time < m.time {
                tracker.add(next.icmp, time: next.time)
                icmp = icmp.dropFirst()
            }
            tracker.add(m)
        }
        for rest in icmp { tracker.add(rest.icmp, time: rest.time) }
        let exchanges = tracker.finish(captureEnd: loaded.captureEnd)
        return KeyTimelineRun(loaded: loaded, outcomes: OutcomeIndex(exchanges))
    }

    /// Feeds every request sent at or before `until` (epoch seconds; nil: all) to a timeline.
    /// A request's fate is what the whole capture shows, even when the answer came after `until`:
    /// the phone applied the document when it received it.
    func replay(until: Double? = nil, onEvent: (KeyEvent) -> Void = { _ in }) -> KeyTimeline {
        var timeline = KeyTimeline()
        for m in loaded.messages where m.message.isRequest {
            if let until, m.time.epochSeconds > until { continue }
            for event in timeline.add(m, exchange: outcomes[m.frame]) { onEvent(event) }
        }
        return timeline
    }

    /// Documents in frame order, retransmitted copies left out (they repeat the first copy's faults).
    func documents() -> [CarriedDocument] {
        loaded.messages.compactMap { m in
            guard m.message.isRequest else { return nil }
            if let exchange = outcomes[m.frame], exchange.request.frame != m.frame { return nil }
            return CarriedDocument(m)
        }
    }
}

extension LoadedCapture {
    /// The time of the last frame: Timer F is judged against it.
    var captureEnd: Timestamp {
        let lastMessage = messages.map(\.time).max()
        // A hostile timestamp near Int64's limits must not trap in the conversion below.
        guard let last = statistics.lastTime, abs(last) < 1e17 else { return lastMessage ?? Timestamp(seconds: 0, nanoseconds: 0) }
        let whole = last.rounded(.down)
        let fromStats = Timestamp(seconds: Int64(whole), nanoseconds: Int64(((last - whole) * 1e9).rounded()))
        return max(fromStats, lastMessage ?? fromStats)
    }
}
