import SIPCapture
import Base
import Analysis
import Capture
import SIP

/// A capture streamed through the exchange tracker: the one place that feeds it messages and ICMP
/// errors, in capture order. Every analysis command starts here. Messages go to `onMessage` as
/// they come; exchanges go to `onExchange` as they settle, in request frame order
/// (`OrderedExchanges`). Nothing is kept but open transactions and a short settling window, so
/// memory stays bounded whatever the capture's size.
public struct TrackedCapture {
    public var loaded: LoadedCapture
    /// The earliest and latest time of any message, ICMP error or frame.
    public var start: Timestamp?
    public var end: Timestamp?
    public var messageCount = 0
    public var exchangeCount = 0
    public var unmatchedResponses = 0
    /// Exchanges handed on behind a later one (a transaction kept open past the settling window).
    public var exchangesOutOfOrder = 0

    /// Reads the capture once. `onFrame` sees every frame as it is read. `ordered: false` hands exchanges
    /// on as soon as they settle, in no particular order. Throws `UnusableInput` (exit 2).
    public static func stream(_ capture: CaptureSource, ordered: Bool = true, onFrame: ((CapturedFrame) -> Void)? = nil,
                       onMessage: (CapturedMessage) -> Void = { _ in },
                       onUnreachable: (ICMPUnreachable, Timestamp) -> Void = { _, _ in },
                       onExchange: (Exchange) -> Void) throws -> TrackedCapture {
        var exchanges = OrderedExchanges(ordered: ordered)
        var first: Timestamp?, last: Timestamp?
        var messages = 0, settled = 0
        func saw(_ t: Timestamp) {
            if first.map({ t < $0 }) ?? true { first = t }
            if last.map({ t > $0 }) ?? true { last = t }
        }
        func handOn(_ e: Exchange) {
            settled += 1
            onExchange(e)
        }
        let loaded = try LoadedCapture.stream(capture, onUnreachable: { icmp, time in
            saw(time)
            onUnreachable(icmp, time)
            exchanges.add(icmp, time: time)
        }, onFrame: onFrame) { m in
            saw(m.time)
            messages += 1
            onMessage(m)
            exchanges.add(m, emit: handOn)
        }
        let start = [first, loaded.statistics.firstTime.map(timestamp)].compactMap { $0 }.min()
        let end = [last, loaded.statistics.lastTime.map(timestamp)].compactMap { $0 }.max()
        exchanges.finish(captureEnd: end ?? Timestamp(seconds: 0, nanoseconds: 0), emit: handOn)
        return TrackedCapture(loaded: loaded, start: start, end: end, messageCount: messages, exchangeCount: settled,
                              unmatchedResponses: exchanges.unmatchedResponses, exchangesOutOfOrder: exchanges.outOfOrder)
    }

    /// Epoch seconds back to a timestamp; a hostile value near Int64's limits must not trap.
    public static func timestamp(_ epoch: Double) -> Timestamp {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return Timestamp(seconds: 0, nanoseconds: 0) }
        let whole = epoch.rounded(.down)
        return Timestamp(seconds: Int64(whole), nanoseconds: Int64(((epoch - whole) * 1e9).rounded()))
    }
}
