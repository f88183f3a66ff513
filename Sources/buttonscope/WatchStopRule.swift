#if canImport(Glibc)
import Glibc
#endif
import Base
import Capture
import Pipeline
import Rendering

/// When `watch` stops, whatever its source (an interface, HEP listeners, both): SIGINT or SIGTERM,
/// `--count` documents seen and answered (with a second's grace for the last answers), or
/// `--duration` reached.
struct WatchStopRule {
    let count: Int?
    var deadline: Timestamp?

    init(count: Int?, duration: Double?, start: Timestamp) {
        self.count = count
        deadline = duration.map { start.adding(seconds: $0) }
    }

    /// Why to stop now, or nil to go on. Takes a pending stop signal from `signals` without waiting.
    mutating func reason(now: Timestamp, session: WatchSession, signals: inout sigset_t) -> String? {
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        let signal = sigtimedwait(&signals, nil, &zero)
        if signal > 0 { return signal == SIGINT ? "interrupted" : "terminated" }
        if let count, session.documents >= count {
            let grace = now.adding(seconds: 1)
            if deadline.map({ grace < $0 }) ?? true { deadline = grace }
            if session.awaitingAnswers == 0 { return "\(count) document\(count == 1 ? "" : "s") seen" }
        }
        if let d = deadline, !(now < d) {
            return session.documents >= (count ?? .max) ? "\(count ?? 0) documents seen" : "--duration reached"
        }
        return nil
    }
}
