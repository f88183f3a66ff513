import Analysis
import Buttons
import Capture
import Base
import SIP
import SIPCapture

/// What `summary` gathers while the capture streams by, bounded: counts, per phone its last
/// `keptRegistrations` REGISTERs and its documents and keys, per key what `why` needs
/// (`WhyFacts`), and problems counted by code with one example each.
public struct SummaryTally {
    public static let keptRegistrations = 20

    public init() {}

    public var facts = WhyFacts(keptRegistrations: SummaryTally.keptRegistrations)
    private var byOutcome: [ExchangeOutcome: Int] = [:]
    private var byMethod: [String: Int] = [:]
    /// Kept apart so that the examples come in the order the summary has always given them:
    /// message framing, capture damage, document findings, failed transactions.
    private var messageProblems = ProblemCounts()
    private var documentProblems = ProblemCounts()
    private var exchangeProblems = ProblemCounts()

    /// Documents the snap length cut away (`SnapLengthCuts`).
    public var cuts = SnapLengthCuts()

    public mutating func add(message m: CapturedMessage) {
        cuts.add(m)
        for d in m.diagnostics { messageProblems.add(d, frame: d.frame ?? m.frame) }
    }

    public mutating func add(exchange e: Exchange) {
        byOutcome[e.outcome, default: 0] += 1
        byMethod[e.method, default: 0] += 1
        if let read = facts.add(e) {
            let cut = DocumentLint.bodyEndsEarly(e.request)
            for f in read.findings where !(cut && f.code == GrammarEdges.missingLineEndCode) {
                documentProblems.add(f.diagnostic, frame: e.request.frame)
            }
        }
        if e.outcome == .unanswered || e.outcome == .rejected {
            let what = e.outcome == .rejected
                ? Diagnostic("\(e.method.lowercased())-rejected-\(e.finalStatus ?? 0)", .error,
                             "\(e.method) answered \(e.finalStatus ?? 0) \(e.finalResponse?.reason ?? "")")
                : Diagnostic("\(e.method.lowercased())-unanswered", .error,
                             "\(e.method) never answered" + (e.unreachable.isEmpty ? "" : " (ICMP \(e.unreachable[0].reason))"))
            exchangeProblems.add(what, frame: e.request.frame)
        }
    }

    /// The summary once the capture has ended.
    public func summary(_ tracked: TrackedCapture, path: String) -> CaptureSummary {
        var facts = self.facts
        facts.captureStart = tracked.start
        facts.captureEnd = tracked.end
        var s = CaptureSummary(path: path, tracked: tracked)
        s.cuts = cuts
        for user in facts.users.sorted(by: CaptureSummary.userOrder) {
            let keys = facts.keys(user: user)
            s.phones.append(CaptureSummary.Phone(user: user, registrations: facts.registrations.records(of: user),
                                                 registrationCount: facts.registrations.count(of: user),
                                                 documents: facts.phones[user]?.documents ?? 0, keys: keys,
                                                 device: facts.devices.device(of: user)))
            let reports = facts.whyEveryKey(user: user)
            s.next += reports.filter { $0.verdict != .accepted }
            s.notes += reports.flatMap { r in r.notes.map { (user: r.user, key: r.key, text: $0) } }
        }
        s.outcomes = [ExchangeOutcome.accepted, .rejected, .unanswered, .unknown].map { ($0, byOutcome[$0] ?? 0) }
        s.methods = byMethod.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
        var capture = ProblemCounts()
        for d in tracked.loaded.diagnostics { capture.add(d, frame: d.frame) }
        s.problems = ProblemCounts.merged([messageProblems, capture, documentProblems, exchangeProblems,
                                           WhyProblems.uncounted(s.next)]).ranked
        s.tls = TLSKeysAdvice(diagnostics: tracked.loaded.diagnostics, keyLog: tracked.loaded.tlsKeyLog)
        return s
    }
}
