#if canImport(Glibc)
import Glibc
#endif
import Base
import Capture

/// Times as people read them in the text output: `10:42:07.123`, in UTC (captures carry UTC).
public enum ClockTime {
    public static func format(_ t: Timestamp, millis: Bool = true) -> String {
        millis ? t.clockString : String(t.clockString.prefix(8))
    }

    public static func date(_ t: Timestamp) -> String {
        var secs = time_t(t.seconds)
        var parts = tm()
        gmtime_r(&secs, &parts)
        return "\(parts.tm_year + 1900)-\(String(parts.tm_mon + 1).leftPadded(to: 2))-\(String(parts.tm_mday).leftPadded(to: 2))"
    }

    /// Reads `--at`: `HH:MM:SS[.fff]` (UTC, on the capture's first day), or epoch seconds.
    public static func parse(_ text: String, reference: Timestamp?) -> Double? {
        if let epoch = Double(text), epoch > 100_000 { return epoch }
        let parts = text.split(separator: ":")
        guard parts.count == 3 || parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        let s = parts.count == 3 ? Double(parts[2]) ?? -1 : 0
        guard s >= 0, s < 61 else { return nil }
        let ref = reference?.seconds ?? 0
        let midnight = ref - ref % 86_400
        return Double(midnight) + Double(h * 3600 + m * 60) + s
    }
}
