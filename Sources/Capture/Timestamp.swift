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

    /// `b - a` in seconds.
    public func seconds(since earlier: Timestamp) -> Double {
        Double(seconds - earlier.seconds) + Double(nanoseconds - earlier.nanoseconds) / 1e9
    }

    /// The wall clock now: live capture and the emulated phone stamp events with it.
    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int64(ts.tv_nsec))
    }

    public func adding(seconds s: Double) -> Timestamp {
        let whole = s.rounded(.down)
        var nanos = nanoseconds + Int64((s - whole) * 1e9)
        var secs = seconds + Int64(whole)
        if nanos >= 1_000_000_000 { nanos -= 1_000_000_000; secs += 1 }
        return Timestamp(seconds: secs, nanoseconds: nanos)
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
