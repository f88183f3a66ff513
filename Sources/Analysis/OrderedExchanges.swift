import SIPCapture
import Base
import Capture
import SIP

/// The exchange tracker's exchanges handed on as they settle, in request frame order: what a
/// streaming reader (`exchanges`, `summary`, `why`) needs to read a capture of any size.
///
/// An exchange that settled waits only while an older one is still open (at most Timer F plus a
/// margin after that one's last copy), so this holds the open transactions and a short window of
/// settled ones, never the capture. Past `maxWaiting` settled ones the oldest go on anyway (a
/// transaction kept alive for very long): an older exchange may then follow a newer one, counted
/// in `outOfOrder`.
public struct OrderedExchanges {
    public private(set) var tracker: ExchangeTracker
    public let maxWaiting: Int
    /// False: hand exchanges on as soon as they settle, in no particular order (for a reader that
    /// looks each one up by its requests and would only wait longer).
    public let ordered: Bool
    public private(set) var outOfOrder = 0
    /// Exchanges settled but not handed on: sorted by request order from `head` on.
    private var waiting: [Exchange] = []
    private var head = 0
    private var lastHanded: Exchange?

    public init(tracker: ExchangeTracker = ExchangeTracker(), maxWaiting: Int = 10_000, ordered: Bool = true) {
        self.tracker = tracker
        self.maxWaiting = maxWaiting
        self.ordered = ordered
    }

    /// Feeds one message (in capture order) and hands on whatever may now go.
    public mutating func add(_ message: CapturedMessage, emit: (Exchange) -> Void) {
        tracker.add(message)
        let settled = tracker.takeSettled()
        guard !settled.isEmpty else { return }
        take(settled)
        release(below: ordered ? tracker.oldestOpenFrame : nil, emit)
    }

    /// Feeds one ICMP error (in capture order). It can settle nothing by itself.
    public mutating func add(_ icmp: ICMPUnreachable, time: Timestamp) {
        tracker.add(icmp, time: time)
    }

    /// The capture ended: every exchange left, outcomes decided as of `captureEnd`.
    public mutating func finish(captureEnd: Timestamp, emit: (Exchange) -> Void) {
        take(tracker.finish(captureEnd: captureEnd))
        release(below: nil, emit)
    }

    /// Responses that matched no request seen.
    public var unmatchedResponses: Int { tracker.unmatchedResponses.count }

    private mutating func take(_ settled: [Exchange]) {
        if head > 0 && head * 2 >= waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        waiting += settled
        // Mostly in order already: the sort is close to linear.
        waiting[head...].sort(by: ExchangeTracker.requestOrder)
    }

    /// Hands on, in order, every waiting exchange older than the oldest open one (all when
    /// `frame` is nil), and the oldest beyond `maxWaiting`.
    private mutating func release(below frame: Int?, _ emit: (Exchange) -> Void) {
        while head < waiting.count {
            let e = waiting[head]
            let due = frame.map { e.request.frame < $0 } ?? true
            guard due || waiting.count - head > maxWaiting else { break }
            if let last = lastHanded, ExchangeTracker.requestOrder(e, last) { outOfOrder += 1 }
            lastHanded = e
            emit(e)
            head += 1
        }
    }
}
