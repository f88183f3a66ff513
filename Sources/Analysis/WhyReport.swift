import Capture

/// The links of the chain from "the PBX meant to light key K" to "the lamp changed", named as
/// `why --json` names its verdict when that link is the first to break.
public enum WhyVerdict: String, Sendable, Codable, CaseIterable {
    case noDocument = "no-document"
    case registration
    case wrongDestination = "wrong-destination"
    case unanswered
    case rejected
    case brokenDocument = "broken-document"
    /// The `not-overwritten` link's name; it holds whenever the chain is about the last document
    /// (a later one replacing it is the spec's semantics, not a fault).
    case overwritten
    /// Every link holds.
    case accepted
}

/// One link of the chain, checked.
public struct WhyLink: Sendable {
    /// The link.
    public var checked: WhyCheck
    /// The link's name in JSON: `document-sent registration destination answered accepted document-valid not-overwritten`.
    public var check: String { checked.rawValue }
    /// The verdict this link gives when it breaks.
    public var verdict: WhyVerdict
    public var ok: Bool
    /// The frame that proves it, when one does.
    public var frame: Int?
    public var detail: String

    public init(check: WhyCheck, verdict: WhyVerdict, ok: Bool, frame: Int?, detail: String) {
        self.checked = check
        self.verdict = verdict
        self.ok = ok
        self.frame = frame
        self.detail = detail
    }
}

/// The answer to "why didn't this lamp change?": the chain, the first broken link, what to do next.
public struct WhyReport: Sendable {
    public var user: String
    public var key: String
    public var chain: [WhyLink]
    public var nextStep: String
    /// The document the chain is about (nil when none was sent).
    public var document: SentKeyDocument?
    /// Worth knowing, but not a broken link: "no c=, so off: repeat c= to keep it lit".
    public var notes: [String] = []

    public var firstBroken: WhyLink? { chain.first { !$0.ok } }
    public var verdict: WhyVerdict { firstBroken?.verdict ?? .accepted }
}
