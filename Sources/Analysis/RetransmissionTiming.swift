import Base
import Capture

/// One retransmission of a request, held against RFC 3261 Timer E: a UDP client retransmits
/// after T1 (500 ms), doubling each time, capped at T2 (4 s). Copies far off that schedule
/// point at something other than a SIP stack's timers (a script, a duplicate capture).
public struct RetransmissionTiming: Sendable {
    public var frame: Int
    public var time: Timestamp
    /// Seconds since the previous copy of the request.
    public var interval: Double
    /// What Timer E would have waited.
    public var expected: Double

    /// Within a generous tolerance of Timer E (half to double, plus 100 ms of capture jitter).
    public var followsTimerE: Bool {
        interval >= expected / 2 - 0.1 && interval <= expected * 2 + 0.1
    }
}

extension Exchange {
    public static let t1 = 0.5
    public static let t2 = 4.0

    /// Each retransmission with the interval since the copy before it and Timer E's value.
    public var retransmissionTimings: [RetransmissionTiming] {
        var out: [RetransmissionTiming] = []
        var previous = request.time
        var expected = Exchange.t1
        for r in retransmissions {
            out.append(RetransmissionTiming(frame: r.frame, time: r.time, interval: r.time.seconds(since: previous),
                                            expected: expected))
            previous = r.time
            expected = min(expected * 2, Exchange.t2)
        }
        return out
    }
}
