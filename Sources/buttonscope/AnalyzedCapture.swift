import Analysis
import Capture
import SIP

/// A loaded capture taken once through the exchange tracker: what every analysis command
/// (`exchanges`, `timeline`, `state`, `lint`, `why`, `summary`) starts from.
struct AnalyzedCapture {
    var loaded: LoadedCapture
    var exchanges: [Exchange]
    var unmatchedResponses: Int
    var start: Timestamp?
    var end: Timestamp?

    static func load(_ path: String) throws -> AnalyzedCapture {
        AnalyzedCapture(try LoadedCapture.load(path))
    }

    init(_ loaded: LoadedCapture) {
        self.loaded = loaded
        var tracker = ExchangeTracker()
        // Messages and ICMP errors in capture order: an error comes after what it answers,
        // and the tracker retires old transactions safely.
        var icmp = loaded.unreachables.sorted { $0.icmp.frame < $1.icmp.frame }[...]
        for m in loaded.messages {
            while let next = icmp.first, next.icmp.frame < m.frame {
                tracker.add(next.icmp, time: next.time)
                icmp = icmp.dropFirst()
            }
            tracker.add(m)
        }
        for rest in icmp { tracker.add(rest.icmp, time: rest.time) }
        let times = loaded.messages.map(\.time) + loaded.unreachables.map(\.time)
        start = [times.min(), loaded.statistics.firstTime.map(AnalyzedCapture.timestamp)].compactMap { $0 }.min()
        end = [times.max(), loaded.statistics.lastTime.map(AnalyzedCapture.timestamp)].compactMap { $0 }.max()
        exchanges = tracker.finish(captureEnd: end ?? Timestamp(seconds: 0, nanoseconds: 0))
        unmatchedResponses = tracker.unmatchedResponses.count
    }

    /// Epoch seconds back to a timestamp; a hostile value near Int64's limits must not trap.
    static func timestamp(_ epoch: Double) -> Timestamp {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return Timestamp(seconds: 0, nanoseconds: 0) }
        let whole = epoch.rounded(.down)
        return Timestamp(seconds: Int64(whole), nanoseconds: Int64(((epoch - whole) * 1e9).rounded()))
    }
}
