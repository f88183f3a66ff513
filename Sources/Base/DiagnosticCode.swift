/// A module's list of diagnostic codes. Scripts match on the raw values, so a code is a case
/// (a typo does not compile) and its raw value never changes; `meaning` is what
/// `docs/diagnostics.md` says of it.
public protocol DiagnosticCode: CaseIterable, Sendable, RawRepresentable where RawValue == String {
    /// One sentence: what the code reports.
    var meaning: String { get }
}

extension Diagnostic {
    /// A diagnostic with a typed code; `code` keeps its kebab-case raw value.
    public init<Code: DiagnosticCode>(_ code: Code, _ severity: Severity, _ message: String, frame: Int? = nil) {
        self.init(code.rawValue, severity, message, frame: frame)
    }
}
