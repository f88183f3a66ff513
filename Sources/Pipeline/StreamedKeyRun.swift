import SIPCapture
import Base
import Analysis
import Capture
import SIP

/// A capture streamed through the exchange tracker (`TrackedCapture`) to whoever reads requests in
/// frame order with their fate (`state`, `lint`, `timeline`, `report`), holding only what is still
/// undecided.
///
/// A request's fate (accepted, rejected, unanswered) is known once its transaction retires, Timer F
/// after its last copy: requests wait in a queue until then, so memory follows the traffic of the
/// last ~40 s of capture time, never the capture's length. The queue is also capped (`maxPending`):
/// past it the oldest request goes with the fate known so far (none: `unknown`), reported in
/// `forcedEarly`.
public final class StreamedKeyRun {
    public let maxPending: Int
    public private(set) var firstMessageTime: Timestamp?
    public private(set) var forcedEarly = 0
    private var pending: [CapturedMessage] = []
    private var head = 0
    private var decided: [RequestCopy: Exchange] = [:]

    public init(maxPending: Int = 10_000) { self.maxPending = maxPending }

    /// Reads `path`, calling `onRequest` for every request in frame order with its exchange (nil
    /// when the tracker makes none of it), and `onExchange` for every exchange as it settles: in
    /// request frame order when `orderedExchanges` (which can make requests wait a little longer).
    public func run(_ capture: CaptureSource, orderedExchanges: Bool = false, onMessage: (CapturedMessage) -> Void = { _ in },
             onUnreachable: (ICMPUnreachable, Timestamp) -> Void = { _, _ in }, onExchange: (Exchange) -> Void = { _ in },
             onRequest: (CapturedMessage, Exchange?) -> Void) throws -> TrackedCapture {
        let tracked = try TrackedCapture.stream(capture, ordered: orderedExchanges, onMessage: { m in
            if firstMessageTime == nil { firstMessageTime = m.time }
            onMessage(m)
            if m.message.isRequest { pending.append(m) }
            drain(force: false, onRequest)
        }, onUnreachable: onUnreachable) { e in
            onExchange(e)
            for copy in RequestCopy.all(of: e) { decided[copy] = e }
            drain(force: false, onRequest)
        }
        drain(force: true, onRequest)
        return tracked
    }

    private func drain(force: Bool, _ onRequest: (CapturedMessage, Exchange?) -> Void) {
        while head < pending.count {
            let m = pending[head]
            let copy = RequestCopy(m)
            let waiting = ExchangeTracker.tracks(m.message) && decided[copy] == nil
            if waiting && !force {
                guard pending.count - head > maxPending else { break }
                forcedEarly += 1
            }
            onRequest(m, decided.removeValue(forKey: copy))
            head += 1
        }
        if head > 4096 && head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }
}
