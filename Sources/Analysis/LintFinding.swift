import Base

/// One fault in one x-buttons document, tied to where it shows: frame, phone, key.
public struct LintFinding: Sendable {
    public var frame: Int
    public var severity: Diagnostic.Severity
    public var code: String
    /// Plain words: what is wrong and what a phone would do with it.
    public var message: String
    public var user: String?
    public var key: String?
    /// 1-based line in the body, for document findings.
    public var line: Int?
    /// When Content-Length cut the body: the bytes the phone read, and the bytes on the wire.
    public var readBody: [UInt8]?
    public var wireBody: [UInt8]?

    public init(frame: Int, severity: Diagnostic.Severity, code: String, message: String, user: String?,
                key: String?, line: Int? = nil, readBody: [UInt8]? = nil, wireBody: [UInt8]? = nil) {
        self.frame = frame
        self.severity = severity
        self.code = code
        self.message = message
        self.user = user
        self.key = key
        self.line = line
        self.readBody = readBody
        self.wireBody = wireBody
    }
}
