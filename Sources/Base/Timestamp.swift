#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A capture timestamp kept exact: pcapng can carry nanoseconds, and a `Double` of epoch
/// seconds loses them.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public var nanoseconds: Int64

    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Seconds since the epoch, the unit the JSON output uses.
    public var epochSeconds: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Seconds a capture's timestamps may reach either side of the epoch (about 34 000 years):
    /// a hostile pcapng `if_tsoffset` is clamped to this, so differences in milliseconds still fit
    /// an `Int` wherever they are printed.
    public static let saneSeconds: Int64 = 1 << 40

    /// The same instant with its seconds clamped to ±`saneSeconds`.
    public var clampedToSaneRange: Timestamp {
        Timestamp(seconds: min(max(seconds, -Self.saneSeconds), Self.saneSeconds), nanoseconds: nanoseconds)
    }

    /// `b - a` in seconds. Never traps: timestamps at the ends of the 64-bit range (a hostile
    /// `if_tsoffset`) give a large but finite difference.
    public func seconds(since earlier: Timestamp) -> Double {
        let (whole, overflow) = seconds.subtractingReportingOverflow(earlier.seconds)
        let wholeSeconds = overflow ? Double(seconds) - Double(earlier.seconds) : Double(whole)
        let (nanos, nanoOverflow) = nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        let fraction = nanoOverflow ? Double(nanoseconds) - Double(earlier.nanoseconds) : Double(nanos)
        return wholeSeconds + fraction / 1e9
    }

    /// The wall clock now: live capture and the emulated phone stamp events with it.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int64(ts.tv_nsec))
    }

    /// `s` seconds later (earlier when negative). Saturates at the ends of the 64-bit range
    /// instead of trapping; NaN adds nothing.
    public func adding(seconds s: Double) -> Timestamp {
        guard !s.isNaN else { return self }
        let whole = s.rounded(.down)
        let fraction = s.isFinite ? s - whole : 0
        var nanos = nanoseconds.addingSaturating(Int64(fraction * 1e9))
        var secs = seconds.addingSaturating(Self.saturatingInt64(whole))
        if nanos >= 1_000_000_000 { nanos -= 1_000_000_000; secs = secs.addingSaturating(1) }
        return Timestamp(seconds: secs, nanoseconds: nanos)
    }

    /// `value` rounded down into Int64's range: ±infinity and values past it give the ends.
    static func saturatingInt64(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9_223_372_036_854_775_807 { return .max }
        if value <= -9_223_372_036_854_775_808 { return .min }
        return Int64(value)
    }

    /// `10:42:07.123`, UTC: how times read in explanations and tables.
    public var clockString: String {
        let day = ((seconds % 86_400) + 86_400) % 86_400
        let ms = max(0, min(999, nanoseconds / 1_000_000))
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let millis = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60)).\(millis)"
    }
}

extension Int64 {
    /// `self + other`, held at `.max` or `.min` instead of trapping.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
