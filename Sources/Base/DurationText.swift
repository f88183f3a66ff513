/// Durations as the outputs write them. The styles differ on purpose (a sender's timeout is said
/// exactly, an explanation rounds, a live table stays short), and scripts and tests read each one
/// as it is, so the styles live here side by side rather than as copies in each module.
public enum DurationText {
    /// `4 s`, `0.5 s`: a configured time (a timeout), exact to the millisecond.
    public static func exact(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\((s * 1000).rounded() / 1000) s"
    }

    /// `250 ms` under a second, `1.5 s` above: a measured gap in an explanation.
    public static func rounded(_ s: Double) -> String {
        let ms = (s * 1000).rounded() / 1000
        return ms < 1 ? "\(Int((ms * 1000).rounded())) ms" : "\(oneDecimal(ms)) s"
    }

    /// `250 ms`, `42 s`, `3 min 5 s`: a latency in a short table line.
    public static func coarse(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : s < 120 ? "\(Int(s.rounded())) s" : "\(Int(s / 60)) min \(Int(s) % 60) s"
    }

    /// `1234` ms as `1234 ms`.
    public static func milliseconds(_ ms: Double) -> String { "\(Int(ms.rounded())) ms" }

    /// One decimal place, without Foundation.
    public static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        // The sign apart: -0.35 has no whole part to carry it (it read "0.4").
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
