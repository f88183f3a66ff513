/// A body built from entry strings typed by a user (for `send`), with what is wrong with it.
public struct ButtonsComposition: Hashable, Sendable {
    /// The bytes to send: the entries as given, in the given order, each ended by CRLF.
    public var body: [UInt8]
    /// The body decoded as a phone would read it.
    public var document: ButtonsDocument
    /// Problems with the input strings themselves (a line break inside one), then the document's.
    public var findings: [ButtonsFinding]

    /// False when a phone would misread the body: do not send it without asking.
    public var isValid: Bool { !findings.contains { $0.severity == .error } }
}

extension ButtonsDocument {
    /// Builds a body from entries like `["k=1", "c=on", "l=Night"]`; an empty string starts the
    /// next description. Order is kept as given (a user may want to reproduce a sender's
    /// mistake); use `ButtonsEncoder` for canonical order. A CR or LF inside a string would
    /// split it into lines the user did not ask for, so it is reported and replaced by a space.
    public static func compose(entries: [String]) -> ButtonsComposition {
        var inputFindings: [ButtonsFinding] = []
        var body: [UInt8] = []
        for (index, entry) in entries.enumerated() {
            var bytes = Array(entry.utf8)
            if bytes.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
                inputFindings.append(ButtonsFinding(ButtonsCode.forbiddenCharacter, .error,
                    "entry \(index + 1) \(QuotedText.quote(entry)) contains a line break; it was replaced by a space, "
                    + "since inside a document it would end the line early.", line: index + 1))
                bytes = bytes.map { $0 == 0x0D || $0 == 0x0A ? 0x20 : $0 }
            }
            body += bytes
            body += [0x0D, 0x0A]
        }
        let document = ButtonsDocument(decoding: body)
        return ButtonsComposition(body: body, document: document, findings: inputFindings + document.findings)
    }
}
