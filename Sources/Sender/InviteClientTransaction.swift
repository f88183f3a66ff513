/// RFC 3261 §17.1.1 INVITE client transaction as a pure state machine, beside the non-INVITE one
/// and speaking the same actions (Timer A is `startTimerE`, Timer B `startTimerF`; the sender keeps
/// each ACK for 64·T1 to answer retransmitted finals, in place of Timer D). On the wire:
/// - retransmissions (UDP) double without the T2 cap and stop at the first provisional answer;
/// - once ringing there is no timeout: the caller ends the call (CANCEL) when it wants;
/// - a final answer of 300–699 is acknowledged by the transaction itself (`acknowledge`, an ACK
///   with the INVITE's branch), again for every retransmission of it; a 2xx ends the transaction
///   and its ACK is the caller's (a new transaction-less request, §13.2.2.4).
public struct InviteClientTransaction: TransactionMachine {
    public enum State: Hashable, Sendable { case idle, calling, proceeding, completed, terminated }

    public private(set) var state: State = .idle
    public private(set) var schedule: RetransmissionSchedule

    public init(reliable: Bool, timers: SIPTimers = .rfc3261) {
        schedule = RetransmissionSchedule(reliable: reliable, timers: timers)
    }

    public mutating func start() -> [ClientTransaction.Action] {
        guard state == .idle else { return [] }
        state = .calling
        return schedule.first()
    }

    /// Timer A: only while calling (no answer at all yet); the interval doubles without a cap.
    public mutating func timerEFired() -> [ClientTransaction.Action] {
        guard !reliable, state == .calling else { return [] }
        return schedule.again(next: schedule.interval * 2)
    }

    /// Timer B while calling is the timeout; in Completed it is Timer D, the end of absorbing
    /// retransmitted finals.
    public mutating func timerFFired() -> [ClientTransaction.Action] {
        switch state {
        case .calling:
            state = .terminated
            return [.timeout]
        case .completed:
            state = .terminated
            return []
        default:
            return []
        }
    }

    public mutating func received(status: Int) -> [ClientTransaction.Action] {
        switch state {
        case .calling, .proceeding:
            if status < 200 {
                state = .proceeding
                return [.provisional(status)]
            }
            if status < 300 {
                state = .terminated
                return [.complete(status)]
            }
            state = .completed
            return [.acknowledge, .complete(status)]
        case .completed:
            return status >= 300 ? [.acknowledge] : []
        default:
            return []
        }
    }
}

/// What the sender drives: the non-INVITE and the INVITE client transaction.
public protocol TransactionMachine: Sendable {
    /// The request's transmissions so far and its timers.
    var schedule: RetransmissionSchedule { get }
    mutating func start() -> [ClientTransaction.Action]
    mutating func timerEFired() -> [ClientTransaction.Action]
    mutating func timerFFired() -> [ClientTransaction.Action]
    mutating func received(status: Int) -> [ClientTransaction.Action]
}

extension ClientTransaction: TransactionMachine {}

extension TransactionMachine {
    public var transmissions: Int { schedule.transmissions }
    public var reliable: Bool { schedule.reliable }
    public var timers: SIPTimers { schedule.timers }
}
