/// The first transmission and the retransmissions of a client transaction's request (RFC 3261
/// §17.1.1.2 and §17.1.2.2): both machines send alike and differ only in how the interval grows
/// and when they stop, which they decide.
public struct RetransmissionSchedule: Sendable {
    public let reliable: Bool
    public let timers: SIPTimers
    public private(set) var transmissions = 0
    /// Current Timer E (or A) interval.
    public private(set) var interval: Double

    public init(reliable: Bool, timers: SIPTimers) {
        self.reliable = reliable
        self.timers = timers
        self.interval = timers.t1
    }

    /// The first transmission: Timer E/A only over an unreliable transport, Timer F/B always.
    mutating func first() -> [ClientTransaction.Action] {
        transmissions = 1
        var actions: [ClientTransaction.Action] = [.transmit(retransmission: false)]
        if !reliable { actions.append(.startTimerE(interval)) }
        actions.append(.startTimerF(timers.timerF))
        return actions
    }

    /// One retransmission, with the next interval the machine chose.
    mutating func again(next: Double) -> [ClientTransaction.Action] {
        transmissions += 1
        interval = next
        return [.transmit(retransmission: true), .startTimerE(interval)]
    }
}
