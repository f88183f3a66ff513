import Analysis
import Capture
import SIP

/// A loaded capture taken through the exchange tracker: what `exchanges`, `why` and `summary` share.
struct AnalyzedCapture {
    var loaded: LoadedCapture
    var exchanges: [Exchange]
    var unmatchedResponses: Int
    var start: Timestamp?
    var end: Timestamp?

    init(_ loaded: LoadedCapture) {
        self.loaded = loaded
        var tracker = ExchangeTracker()
        var icmp = loaded.unreachables[...]
        for m in loaded.messages {
            // ICMP errors in frame order among the messages: an error comes after what it answers.
            while let next = icmp.first, next.icmp.frame < m.frame { tracker.add(next.icmp, time: next.time); icmp = icmp.dropFirst() }
            tracker.add(m)
        }
        for rest in icmp { tracker.add(rest.icmp, time: rest.time) }
        let times = loaded.messages.map(\.time) + loaded.unreachables.map(\.time)
        start = [times.min(), loaded.statistics.firstTime.map(AnalyzedCapture.timestamp)].compactMap { $0 }.min()
        end = [times.max(), loaded.statistics.lastTime.map(AnalyzedCapture.timestamp)].compactMap { $0 }.max()
        exchanges = tracker.finish(captureEnd: end ?? Timestamp(seconds: 0, nanoseconds: 0))
        unmatchedResponses = tracker.unmatchedResponses.count
    }

    static func timestamp(_ epoch: Double) -> Timestamp {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return Timestamp(seconds: 0, nanoseconds: 0) }
        let whole = epoch.rounded(.down)
        return Timestamp(seconds: Int64(whole), nanoseconds: Int64(((epoch - whole) * 1e9).rounded()))
    }
}
