import Base

/// A diagnostic about an x-buttons body, with where it points: the line and, when known, the key.
///
/// The analysis layer needs `(code, severity, message, key)` to tie a problem to a key's
/// timeline; `Diagnostic` alone has no key. The diagnostic's `frame` is left nil: the caller
/// knows the frame, this layer only sees bytes.
public struct ButtonsFinding: Hashable, Sendable, Codable {
    public var diagnostic: Diagnostic
    /// The key of the description the problem is in, when that description has one.
    public var key: String?
    /// 1-based line in the body; nil for problems of the whole document.
    public var line: Int?

    public init(diagnostic: Diagnostic, key: String?, line: Int?) {
        self.diagnostic = diagnostic
        self.key = key
        self.line = line
    }

    public init(_ code: ButtonsCode, _ severity: Diagnostic.Severity, _ message: String,
                key: String? = nil, line: Int? = nil) {
        self.init(diagnostic: Diagnostic(code, severity, message), key: key, line: line)
    }

    public var code: String { diagnostic.code }
    public var severity: Diagnostic.Severity { diagnostic.severity }
    public var message: String { diagnostic.message }
}
