import Analysis
import Base

/// Keys `why` finds broken, as summary problems, so that `summary` and `why` agree on what is a
/// problem. Only the verdicts no other problem already counts: an unanswered or rejected MESSAGE
/// and a broken document are counted by their exchange or their findings.
public enum WhyProblems {
    public static let uncountedVerdicts: Set<WhyVerdict> = [.registration, .wrongDestination, .noDocument]

    public static func uncounted(_ broken: [WhyReport]) -> ProblemCounts {
        var counts = ProblemCounts()
        for r in broken where uncountedVerdicts.contains(r.verdict) {
            let detail = r.firstBroken?.detail ?? r.verdict.rawValue
            counts.add(Diagnostic("why-\(r.verdict.rawValue)", .error, "key \(r.key) of \(r.user): \(detail)"),
                       frame: r.firstBroken?.frame)
        }
        return counts
    }
}
