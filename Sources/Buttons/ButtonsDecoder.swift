import Base

/// Reads an x-buttons body the way a Snom phone does and says what it would misread.
///
/// One pass over the lines, work linear in the body, no traps on any bytes. Findings are capped
/// so a hostile body cannot produce an unbounded list.
struct ButtonsDecoder {
    static let findingLimit = 200

    private var findings: [ButtonsFinding] = []
    private var droppedFindings = 0
    private var descriptions: [KeyDescription] = []
    private var current: [Entry] = []
    private var currentKey: String?

    static func decode(_ body: [UInt8], memo: inout DescriptionMemo) -> ButtonsDocument {
        if let clean = CleanBodyDecoder.decode(body, memo: &memo) { return clean }
        var decoder = ButtonsDecoder()
        return decoder.run(body)
    }

    private mutating func run(_ body: [UInt8]) -> ButtonsDocument {
        let lines = BodyLines.split(body)
        let ending = Self.lineEnding(of: lines)
        let terminated = lines.last.map { $0.terminator == .crlf || $0.terminator == .lf } ?? true

        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) {
            report(ButtonsCode.emptyDocument, .warning,
                   "The body is empty or holds only blank lines: it describes no key, so the phone changes nothing.")
            return document(ending, lines.count, terminated)
        }
        if let firstLF = lines.first(where: { $0.terminator == .lf }) {
            findings.append(Self.bareLFFinding(line: firstLF.number))
        }
        if let last = lines.last, last.terminator == .finalCR {
            findings.append(Self.loneFinalCRFinding(line: last.number))
        }
        for line in lines { read(line) }
        if let last = lines.last, last.terminator == .none, !last.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            report(.missingLineEnd, .warning, GrammarEdges.missingLineEnd(place(last.number)), line: last.number)
        }
        closeDescription()
        if droppedFindings > 0 {
            findings.append(ButtonsFinding(ButtonsCode.findingsTruncated, .info,
                "\(droppedFindings) more findings in this body were not listed."))
        }
        return document(ending, lines.count, terminated)
    }

    /// The first findings of any body, before a line is read (so no key, and never over the cap).
    static func bareLFFinding(line: Int) -> ButtonsFinding {
        ButtonsFinding(ButtonsCode.bareLF, .warning,
                       "Lines end in a bare LF (first at line \(line)) where the spec asks for CRLF. "
                       + "mod_snom sends LF only and Snom phones accept it, but a strict reader may not.",
                       key: nil, line: line)
    }

    static func loneFinalCRFinding(line: Int) -> ButtonsFinding {
        ButtonsFinding(ButtonsCode.loneFinalCR, .info,
                       "The body ends in a CR with no LF after it (as in the spec's own sipsak example); "
                       + "the phone reads it as the end of line \(line).", key: nil, line: line)
    }

    private func document(_ ending: ButtonsDocument.LineEnding, _ lineCount: Int, _ terminated: Bool) -> ButtonsDocument {
        ButtonsDocument(descriptions: descriptions, findings: findings, lineEnding: ending,
                        lineCount: lineCount, lastLineTerminated: terminated)
    }

    private static func lineEnding(of lines: [BodyLine]) -> ButtonsDocument.LineEnding {
        let crlf = lines.contains { $0.terminator == .crlf }
        let lf = lines.contains { $0.terminator == .lf }
        switch (crlf, lf) {
        case (true, true): return .mixed
        case (true, false): return .crlf
        case (false, true): return .lf
        case (false, false): return .none
        }
    }

    // MARK: lines

    private mutating func read(_ line: BodyLine) {
        let bytes = line.bytes
        if bytes.isEmpty { closeDescription(); return }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            report(ButtonsCode.whitespaceOnlyLine, .warning,
                   "line \(line.number) holds only spaces or tabs. It is read here as an empty line that starts a new "
                   + "description; a phone may instead read it as a broken entry.", line: line.number)
            closeDescription()
            return
        }
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else {
            reportControls(in: bytes, line: line.number, property: nil)
            report(ButtonsCode.invalidEntry, .error,
                   "\(place(line.number)): \(QuotedText.quote(bytes)) has no '=', so it is not an entry; "
                   + "the phone cannot read it and skips it.", line: line.number)
            return
        }
        let name = bytes[bytes.startIndex..<equals]
        let valueBytes = bytes[(equals + 1)...]
        guard name.count == 1, let letterByte = name.first, Self.isASCIILetter(letterByte) else {
            reportControls(in: bytes, line: line.number, property: nil)
            report(ButtonsCode.invalidEntry, .error,
                   "\(place(line.number)): \(QuotedText.quote(bytes)) does not start with a single letter and '=' "
                   + "(the name is \(QuotedText.quote(name))), so it is not an entry; the phone cannot read it.",
                   line: line.number)
            return
        }
        let letter = String(UnicodeScalar(letterByte))
        let value = String(decoding: valueBytes, as: UTF8.self)
        let entry = Entry(letter: letter, value: value, line: line.number)
        if current.isEmpty, entry.property == .key { currentKey = value }
        let property = entry.property
        reportControls(in: bytes, line: line.number, property: property)
        if Self.hasInvalidUTF8(valueBytes) {
            let display = property?.isDisplayText ?? false
            report(ButtonsCode.invalidUTF8, display ? .warning : .error,
                   "\(place(line.number)): the value of \(letter)= is not valid UTF-8 (read here with U+FFFD for the bad bytes). "
                   + (display ? "The phone shows garbled characters." : "The phone will not match or use it as intended."),
                   line: line.number)
        }
        check(entry)
        current.append(entry)
    }

    /// Checks one entry against what came before it in its description and against its grammar.
    private mutating func check(_ entry: Entry) {
        let place = place(entry.line)
        guard let property = entry.property else {
            report(ButtonsCode.unknownProperty, .warning,
                   "\(place): \(entry.letter)= is not a property the spec defines; the phone ignores this line."
                   + (Property(rawValue: entry.letter.lowercased()) != nil ? " (Letters are lowercase.)" : ""),
                   line: entry.line)
            return
        }
        if current.contains(where: { $0.letter == entry.letter }) {
            if property == .key {
                report(ButtonsCode.duplicateEntry, .error,
                       "\(place): a second k= (\(QuotedText.quote(entry.value))) inside the description of key "
                       + "\(QuotedText.quote(currentKey ?? "?")): an empty line is probably missing before it. Only an empty "
                       + "line starts a new description, so the phone does not apply the entries after it to key "
                       + "\(QuotedText.quote(entry.value)).",
                       line: entry.line)
            } else {
                report(ButtonsCode.duplicateEntry, .warning,
                       "\(place): \(entry.letter)= appears again in this description. A phone that applies entries "
                       + "in order keeps the last value (\(QuotedText.quote(entry.value))); which one a given firmware "
                       + "keeps is not documented.", line: entry.line)
            }
        }
        if let packed = Self.packedEntry(in: entry.value) {
            if property.isFreeText && property != .key {
                // The spec: text "may contain space and UTF-8 encoded characters", so ` x=` inside
                // a label is legal text; only the sender knows whether it meant another entry.
                report(ButtonsCode.entriesOnOneLine, .warning,
                       "\(place): the \(property.spokenName) is read as \(QuotedText.quote(entry.value)), \" \(packed)=\" included: "
                       + "text may contain spaces, so this is valid, but if \(packed)= was meant as its own entry it is not applied. "
                       + "Each entry needs its own line.", line: entry.line)
            } else {
                let literally = property == .key
                    ? "read literally it is one entry: a key named \(QuotedText.quote(entry.value)). No key has that name, so the phone changes no lamp."
                    : "read literally the \(property.spokenName) is \(QuotedText.quote(entry.value)) and the \(packed)= inside it is not applied."
                report(ButtonsCode.entriesOnOneLine, .error,
                       "\(place): \(QuotedText.quote(entry.text)) puts several entries on one line; \(literally) "
                       + "Each entry needs its own line.", line: entry.line)
                return
            }
        }
        switch PropertyValues.verdict(property, entry.value) {
        case .valid:
            break
        case .deviceSpecific(let severity, let why):
            report(ButtonsCode.deviceSpecificValue, severity, "\(place): \(why).", line: entry.line)
        case .invalid(let why):
            report(ButtonsCode.invalidValue, .error,
                   "\(place): \(why). The phone will not apply this \(property.spokenName) as intended.",
                   line: entry.line)
            return
        }
        if let finding = GrammarEdges.check(property, entry.value, place: place) {
            report(finding.code, finding.severity, finding.message, line: entry.line)
        }
        if property.isFreeText, !entry.value.isEmpty, entry.value.trimmed != entry.value {
            report(ButtonsCode.surroundingSpace, .warning,
                   "\(place): the \(property.spokenName) \(QuotedText.quote(entry.value)) starts or ends with a space; "
                   + "the phone keeps the space"
                   + (property == .key ? ", so the name may not match the key it was meant for." : "."),
                   line: entry.line)
        }
    }

    /// Ends the description being read. An empty one (leading, repeated or trailing empty line,
    /// like mod_snom's `\n\n`) is harmless and not kept.
    private mutating func closeDescription() {
        defer { current = []; currentKey = nil }
        guard let first = current.first else { return }
        let description = KeyDescription(entries: current)
        if first.property != .key {
            let later = current.first(where: { $0.property == .key })
            var laterText = later.map { " Its k=\($0.value) comes later, at line \($0.line), where the phone no longer looks for it." }
                ?? " It has no k= at all."
            if first.letter == "K" { laterText += " K= is not k=: the letters are lowercase." }
            report(ButtonsCode.keyNotFirst, .error,
                   "line \(first.line): the description starting here begins with \(QuotedText.quote(first.text)), not k=. "
                   + "The phone needs k= first to know which key is meant, so it ignores this description "
                   + "(or applies it to the wrong key).\(laterText)",
                   key: later?.value, line: first.line)
        }
        descriptions.append(description)
    }

    // MARK: findings

    private func place(_ line: Int) -> String { QuotedText.place(line: line, key: currentKey) }

    private mutating func report(_ code: ButtonsCode, _ severity: Diagnostic.Severity, _ message: String,
                                 line: Int? = nil) {
        report(code, severity, message, key: currentKey, line: line)
    }

    private mutating func report(_ code: ButtonsCode, _ severity: Diagnostic.Severity, _ message: String,
                                 key: String?, line: Int?) {
        guard findings.count < Self.findingLimit else { droppedFindings += 1; return }
        findings.append(ButtonsFinding(code, severity, message, key: key, line: line))
    }

    /// C0 controls and DEL inside a line: TAB and a CR that does not end the line are the usual ones.
    private mutating func reportControls(in bytes: ArraySlice<UInt8>, line: Int, property: Property?) {
        var names: [String] = []
        for byte in bytes where byte < 0x20 || byte == 0x7F {
            let name = Self.controlName(byte)
            if !names.contains(name) { names.append(name) }
            if names.count == 4 { break }
        }
        guard !names.isEmpty else { return }
        let display = property?.isDisplayText ?? false
        report(ButtonsCode.forbiddenCharacter, display ? .warning : .error,
               "\(place(line)): contains " + names.joined(separator: ", ")
               + ", which x-buttons text may not hold (no CR, LF, TAB or other control characters). "
               + (display ? "The phone shows it oddly." : "The phone reads the character as part of the value, so it will not match as intended."),
               line: line)
    }

    private static func controlName(_ byte: UInt8) -> String {
        switch byte {
        case 0x00: return "NUL"
        case 0x09: return "TAB"
        case 0x0D: return "a CR not followed by LF"
        case 0x7F: return "DEL"
        default: return "control character 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
    }

    // MARK: byte tests

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func hasInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return false }
        return transcode(bytes.makeIterator(), from: UTF8.self, to: UTF32.self,
                         stoppingOnError: true, into: { _ in })
    }

    /// The letter of an ` x=` inside a value (space, one ASCII letter, `=`), if any: the sign of
    /// entries written on one line.
    static func packedEntry(in value: String) -> String? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 3 else { return nil }
        for index in 0..<(bytes.count - 2)
        where bytes[index] == 0x20 && isASCIILetter(bytes[index + 1]) && bytes[index + 2] == UInt8(ascii: "=") {
            return String(UnicodeScalar(bytes[index + 1]))
        }
        return nil
    }
}
