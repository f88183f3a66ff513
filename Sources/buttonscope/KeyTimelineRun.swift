import Analysis
import Capture
import SIP

/// A capture through the exchange tracker (`AnalyzedCapture`) and the key timeline, shared by
/// `timeline`, `state` and `lint`: the tracker decides each request's fate, then the timeline
/// reads the requests in frame order.
struct KeyTimelineRun {
    var loaded: LoadedCapture
    var outcomes: OutcomeIndex

    static func load(_ path: String) throws -> KeyTimelineRun {
        let analyzed = try AnalyzedCapture.load(path)
        return KeyTimelineRun(loaded: analyzed.loaded, outcomes: OutcomeIndex(analyzed.exchanges))
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
