import Analysis
import Capture
import SIP

/// A capture streamed through the exchange tracker to whoever reads requests in frame order with
/// their fate (`state`, `lint`, `timeline --json`), holding only what is still undecided.
///
/// A request's fate (accepted, rejected, unanswered) is known once its transaction retires, Timer F
/// after its last copy: requests wait in a queue until then, so memory follows the traffic of the
/// last ~40 s of capture time, never the capture's length. The queue is also capped (`maxPending`):
/// past it the oldest request goes with the fate known so far (none: `unknown`), reported in
/// `forcedEarly`.
final class StreamedKeyRun {
    let maxPending: Int
    private(set) var firstMessageTime: Timestamp?
    private(set) var forcedEarly = 0
    private var tracker = ExchangeTracker()
    private var pending: [CapturedMessage] = []
    private var head = 0
    private var decided: [CopyKey: Exchange] = [:]

    /// One copy of a request: its frame is not enough, as one TCP segment can carry two requests.
    private struct CopyKey: Hashable {
        var frame: Int
        var branch: String?
        var callID: String?
        var cseq: UInt32?
        init(_ m: CapturedMessage, frame: Int) {
            self.frame = frame
            branch = m.message.topViaBranch
            callID = m.message.callID
            cseq = m.message.cseq?.number
        }
    }
    private var latest: Timestamp?

    init(maxPending: Int = 10_000) { self.maxPending = maxPending }

    /// Reads `path`, calling `onRequest` for every request in frame order with its exchange (nil
    /// when the tracker makes none of it). Returns the capture's diagnostics and statistics.
    func run(_ path: String, onRequest: (CapturedMessage, Exchange?) -> Void) throws -> LoadedCapture {
        let loaded = try LoadedCapture.stream(path, onUnreachable: { icmp, time in
            self.tracker.add(icmp, time: time)
        }) { m in
            if firstMessageTime == nil { firstMessageTime = m.time }
            if latest.map({ m.time > $0 }) ?? true { latest = m.time }
            tracker.add(m)
            if m.message.isRequest { pending.append(m) }
            settle(tracker.takeSettled())
            drain(force: false, onRequest)
        }
        let lastFrame = loaded.statistics.lastTime.map(AnalyzedCapture.timestamp)
        let end = [latest, lastFrame].compactMap { $0 }.max() ?? Timestamp(seconds: 0, nanoseconds: 0)
        settle(tracker.finish(captureEnd: end))
        drain(force: true, onRequest)
        return loaded
    }

    private func settle(_ exchanges: [Exchange]) {
        for e in exchanges {
            decided[CopyKey(e.request, frame: e.request.frame)] = e
            // Copies repeat the request's branch, Call-ID and CSeq: that is what made them copies.
            for copy in e.retransmissions { decided[CopyKey(e.request, frame: copy.frame)] = e }
        }
    }

    private func drain(force: Bool, _ onRequest: (CapturedMessage, Exchange?) -> Void) {
        while head < pending.count {
            let m = pending[head]
            let key = CopyKey(m, frame: m.frame)
            let waiting = ExchangeTracker.tracks(m.message) && decided[key] == nil
            if waiting && !force {
                guard pending.count - head > maxPending else { break }
                forcedEarly += 1
            }
            onRequest(m, decided.removeValue(forKey: key))
            head += 1
        }
        if head > 4096 && head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }
}
