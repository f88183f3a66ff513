/// RFC 3261 §17.1.2 non-INVITE client transaction as a pure state machine: it is told what
/// happened (started, a timer fired, a response came) and answers with what to do. It knows
/// whether the transport is reliable, never which one it is, and never touches a socket or a
/// clock, so the timers are tested without waiting.
public struct ClientTransaction: Sendable {
    public enum State: Hashable, Sendable { case idle, trying, proceeding, completed, terminated }

    public enum Action: Hashable, Sendable {
        /// Put the request on the wire (again, when `retransmission`).
        case transmit(retransmission: Bool)
        /// Arm Timer E: call `timerEFired()` after this many seconds.
        case startTimerE(Double)
        /// Arm Timer F: call `timerFFired()` after this many seconds.
        case startTimerF(Double)
        /// Hand a 1xx to the user; keep waiting.
        case provisional(Int)
        /// The final response: the transaction is over.
        case complete(Int)
        /// Timer F fired with no final response.
        case timeout
        /// INVITE only: send the ACK for a final answer of 300–699 (RFC 3261 §17.1.1.3).
        case acknowledge
    }

    public private(set) var state: State = .idle
    public private(set) var schedule: RetransmissionSchedule

    public init(reliable: Bool, timers: SIPTimers = .rfc3261) {
        schedule = RetransmissionSchedule(reliable: reliable, timers: timers)
    }

    public mutating func start() -> [Action] {
        guard state == .idle else { return [] }
        state = .trying
        return schedule.first()
    }

    /// Timer E: retransmit, doubling the interval up to T2 (in Proceeding it stays at T2).
    public mutating func timerEFired() -> [Action] {
        guard !reliable, state == .trying || state == .proceeding else { return [] }
        return schedule.again(next: state == .proceeding ? timers.t2 : min(schedule.interval * 2, timers.t2))
    }

    public mutating func timerFFired() -> [Action] {
        guard state == .trying || state == .proceeding else { return [] }
        state = .terminated
        return [.timeout]
    }

    /// A response whose top Via branch and CSeq method matched this transaction.
    public mutating func received(status: Int) -> [Action] {
        switch state {
        case .trying, .proceeding:
            if status < 200 {
                state = .proceeding
                return [.provisional(status)]
            }
            // Timer K (absorbing retransmitted finals) needs no action from us: late copies
            // simply find no transaction and are logged.
            state = .completed
            return [.complete(status)]
        default:
            return []
        }
    }
}
