/// A problem found in the evidence, with a stable code scripts can match on.
///
/// Every layer (capture, SIP, x-buttons) reports through this one type so renderers and `lint`
/// treat them alike. `frame` is Wireshark's 1-based frame number where the problem shows.
public struct Diagnostic: Hashable, Sendable, Codable {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case info, warning, error

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// Kebab-case and stable: `content-length-mismatch`, `tcp-gap`, `bare-lf`…
    public var code: String
    public var severity: Severity
    /// Plain words: what is wrong and what a phone would do with it.
    public var message: String
    public var frame: Int?

    public init(_ code: String, _ severity: Severity, _ message: String, frame: Int? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.frame = frame
    }
}
