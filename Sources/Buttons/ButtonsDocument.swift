import Base

/// An `application/x-buttons` body as a phone reads it: its lamp descriptions and what is wrong
/// with them.
///
/// Decoding takes the effective body (what the phone read, already cut by Content-Length) and
/// never fails: problems become findings.
public struct ButtonsDocument: Hashable, Sendable {
    /// Which line endings the body used.
    public enum LineEnding: String, Hashable, Sendable, Codable {
        /// CRLF only, as the spec asks.
        case crlf
        /// Bare LF only, as mod_snom sends.
        case lf
        /// Both.
        case mixed
        /// No line ending at all (one unterminated line, or an empty body).
        case none
    }

    public static let contentType = "application/x-buttons"

    /// One per lamp description; empty descriptions (from leading, repeated or trailing empty
    /// lines) are not listed.
    public var descriptions: [KeyDescription]
    public var findings: [ButtonsFinding]
    public var lineEnding: LineEnding
    /// Lines in the body, the empty ones included.
    public var lineCount: Int
    /// False when the last line has no line ending: often a body cut short by Content-Length.
    public var lastLineTerminated: Bool

    public init(descriptions: [KeyDescription], findings: [ButtonsFinding], lineEnding: LineEnding,
                lineCount: Int, lastLineTerminated: Bool) {
        self.descriptions = descriptions
        self.findings = findings
        self.lineEnding = lineEnding
        self.lineCount = lineCount
        self.lastLineTerminated = lastLineTerminated
    }

    /// Decodes an effective body.
    public init(decoding body: [UInt8]) {
        var none = DescriptionMemo.none
        self = ButtonsDecoder.decode(body, memo: &none)
    }

    /// The same document, its description blocks seen before taken from `memo` (`DescriptionMemo`).
    public init(decoding body: [UInt8], memo: inout DescriptionMemo) {
        self = ButtonsDecoder.decode(body, memo: &memo)
    }

    public static func decode(_ body: [UInt8]) -> ButtonsDocument {
        ButtonsDocument(decoding: body)
    }

    /// The findings as plain diagnostics, frame nil: the caller sets frames.
    public var diagnostics: [Diagnostic] { findings.map(\.diagnostic) }

    /// True when some finding would make a phone misread the document.
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }

    /// The keys described, in document order (descriptions without a leading k= are skipped).
    public var keys: [String] { descriptions.compactMap(\.key) }
}
