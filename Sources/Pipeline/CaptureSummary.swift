import Analysis
import Buttons
import Capture
import Base
import SIP

/// The facts `summary` prints, gathered once.
public struct CaptureSummary {
    public struct Phone {
        public var user: String
        /// The last `SummaryTally.keptRegistrations` REGISTER exchanges.
        public var registrations: [RegisterRecord]
        /// All of them.
        public var registrationCount: Int
        /// MESSAGE exchanges that carried it a document.
        public var documents: Int
        public var keys: [String]
        /// Model and firmware from its User-Agent.
        public var device: PhoneDevice?

        public var registrationsNotShown: Int { registrationCount - registrations.count }
    }

    public typealias Problem = ProblemCounts.Problem

    public var path: String
    public var tracked: TrackedCapture
    public var phones: [Phone] = []
    public var outcomes: [(ExchangeOutcome, Int)] = []
    public var methods: [(String, Int)] = []
    public var problems: [Problem] = []
    public var next: [WhyReport] = []
    /// `why`'s notes on keys that are fine (a c=-less update that turned a lamp off).
    public var notes: [(user: String, key: String, text: String)] = []
    public var cuts = SnapLengthCuts()
    /// TLS connections left unread for want of keys, and what would help.
    public var tls = TLSKeysAdvice(diagnostics: [], keyLog: nil)

    /// Numeric users in numeric order, then the rest by name.
    public static func userOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }
}
