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
    /// Requests in frame order, with their copy's name when the tracker makes an exchange of them.
    private var pending: [(message: CapturedMessage, copy: RequestCopy?)] = []
    private var head = 0
    /// The queued copies, with their exchange once it settled: only theirs is kept. Keeping every
    /// settled exchange leaked those of copies already handed on (`forcedEarly`) or named otherwise
    /// by the tracker (a branch reused with another Call-ID): 5,648 exchanges on 1 GB with a tenth
    /// unanswered.
    private var fates: [RequestCopy: Exchange?] = [:]

    public init(maxPending: Int = 10_000) { self.maxPending = maxPending }

    /// Exchanges settled and not yet handed with their request: after a run, none should be left.
    public var heldExchanges: Int { fates.values.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Reads `path`, calling `onRequest` for every request in frame order with its exchange (nil
    /// when the tracker makes none of it), and `onExchange` for every exchange as it settles: in
    /// request frame order when `orderedExchanges` (which can make requests wait a little longer).
    public func run(_ capture: CaptureSource, orderedExchanges: Bool = false, onMessage: (CapturedMessage) -> Void = { _ in },
             onUnreachable: (ICMPUnreachable, Timestamp) -> Void = { _, _ in }, onExchange: (Exchange) -> Void = { _ in },
             onRequest: (CapturedMessage, Exchange?) -> Void) throws -> TrackedCapture {
        let tracked = try TrackedCapture.stream(capture, ordered: orderedExchanges, onMessage: { m in
            if firstMessageTime == nil { firstMessageTime = m.time }
            onMessage(m)
            if m.message.isRequest {
                let copy = ExchangeTracker.tracks(m.message) ? RequestCopy(m) : nil
                pending.append((m, copy))
                if let copy { fates.updateValue(nil, forKey: copy) }
            }
            drain(force: false, onRequest)
        }, onUnreachable: onUnreachable) { e in
            onExchange(e)
            for copy in RequestCopy.all(of: e) {
                if let i = fates.index(forKey: copy) { fates.values[i] = e }
            }
            drain(force: false, onRequest)
        }
        drain(force: true, onRequest)
        return tracked
    }

    private func drain(force: Bool, _ onRequest: (CapturedMessage, Exchange?) -> Void) {
        while head < pending.count {
            let (m, copy) = pending[head]
            var exchange: Exchange?
            if let copy, let i = fates.index(forKey: copy) {
                exchange = fates.values[i]
                if exchange == nil && !force {
                    guard pending.count - head > maxPending else { break }
                    forcedEarly += 1
                }
                fates.remove(at: i)
            }
            onRequest(m, exchange)
            head += 1
        }
        if head > 4096 && head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }
}
