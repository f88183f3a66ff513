/// When the live key panel is drawn: at once for a change after a quiet spell, and at most once
/// per `interval` in a burst, the last change of a burst always drawn (a trailing draw). Issue 16:
/// two datagrams of 6,800 keys wrote 148 MB to a terminal when every change redrew the panel.
/// Pure: the caller gives the time (any monotonic clock, in seconds) and does the drawing.
public struct RedrawThrottle: Sendable {
    public enum Decision: Equatable, Sendable {
        /// Draw now (and call `drew(at:)`).
        case drawNow
        /// Schedule one draw at this time (then call `drew(at:)`); later requests join it.
        case drawAt(Double)
        /// A draw is already scheduled and will show this change too.
        case alreadyScheduled
    }

    public let interval: Double
    private var lastDraw: Double?
    private var scheduled = false

    public init(interval: Double = 0.1) { self.interval = interval }

    /// Something changed at `now`: whether, and when, to draw.
    public mutating func request(at now: Double) -> Decision {
        if scheduled { return .alreadyScheduled }
        if let lastDraw, now - lastDraw < interval {
            scheduled = true
            return .drawAt(lastDraw + interval)
        }
        lastDraw = now
        return .drawNow
    }

    /// The panel was drawn at `now` (a scheduled draw, or one asked for outright, like `state`).
    public mutating func drew(at now: Double) {
        lastDraw = now
        scheduled = false
    }

    /// A draw is scheduled and not yet done.
    public var isScheduled: Bool { scheduled }
}
