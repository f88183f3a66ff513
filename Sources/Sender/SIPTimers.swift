/// RFC 3261 §17.1.2 timers for a non-INVITE client transaction, in seconds.
///
/// Configurable so tests can run the same logic fast; the defaults are the RFC's, and they
/// decide when a phone counts as "not answering" (PROTOCOL.md).
public struct SIPTimers: Hashable, Sendable {
    /// RTT estimate: first retransmission interval (Timer E starts here).
    public var t1: Double
    /// Cap on the retransmission interval.
    public var t2: Double

    public init(t1: Double = 0.5, t2: Double = 4) {
        self.t1 = max(0.001, t1)
        self.t2 = max(self.t1, t2)
    }

    public static let rfc3261 = SIPTimers()

    /// Timer F: the transaction gives up after 64·T1 (32 s with the defaults).
    public var timerF: Double { 64 * t1 }
}
