/// `replay --fix`: a body rewritten so that a phone reads what its sender evidently meant, with
/// every change named, and what no rewrite can mend said plainly.
///
/// Only mistakes whose intent is plain are mended: entries packed on one line (`k=3 c=on
/// l=Sales`), a letter or an enumerated value in the wrong case, a missing empty line before the
/// next `k=`, `k=` not first, lines that are no entry (the phone skips them anyway), control
/// characters, empty text. The result is written canonically (CRLF, `k=` first, canonical order).
public struct ButtonsRepair: Sendable {
    public var body: [UInt8]
    /// What was changed, in words, in the order it was found.
    public var changes: [String]
    /// Errors the repaired body still has: what only the sender can decide (`c=blinking`).
    public var unfixable: [ButtonsFinding]

    public var isValid: Bool { unfixable.isEmpty }

    public static func repair(_ body: [UInt8]) -> ButtonsRepair {
        var changes: [String] = []
        var descriptions: [[Entry]] = []
        var current: [Entry] = []
        func close() {
            if !current.isEmpty { descriptions.append(current) }
            current = []
        }
        let lines = BodyLines.split(body)
        for line in lines {
            let bytes = line.bytes
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { close(); continue }
            guard let entry = Self.entry(bytes, line: line.number, changes: &changes) else { continue }
            for piece in Self.unpacked(entry, changes: &changes) {
                // A second k= in one description: the empty line before it was missing.
                if piece.property == .key, current.contains(where: { $0.property == .key }) {
                    changes.append("line \(line.number): started a new description at k=\(piece.value) (the empty line before it was missing)")
                    close()
                }
                if Self.isEmptyText(piece) {
                    changes.append("line \(line.number): left out the empty \(piece.letter)= (without it the default applies)")
                    continue
                }
                current.append(piece)
            }
        }
        close()

        var kept: [KeyDescription] = []
        for entries in descriptions {
            guard let key = entries.first(where: { $0.property == .key }) else {
                let first = entries.first.map { QuotedText.quote($0.text) } ?? "?"
                changes.append("line \(entries.first?.line ?? 0): left out the description starting \(first): it has no k=, so no phone can apply it")
                continue
            }
            if entries.first?.property != .key {
                changes.append("line \(key.line): moved k=\(key.value) first (a phone needs k= first to know the key)")
            }
            kept.append(KeyDescription(key: key.value, entries: entries, line: entries.first?.line ?? 0))
        }
        let document = ButtonsDocument(decoding: body)
        let fixed = ButtonsEncoder.encode(kept)
        if fixed != body {
            if document.lineEnding != .crlf && !fixed.isEmpty { changes.append("line endings \(document.lineEnding.rawValue) → CRLF") }
            if !document.lastLineTerminated && document.lineEnding != .none { changes.append("ended the last line with CRLF") }
            let before = document.descriptions.flatMap { $0.entries.map(\.text) }
            let after = kept.flatMap { ButtonsEncoder.canonicalEntries($0).map(\.text) }
            if before != after && Set(before) == Set(after) { changes.append("entries put in canonical order (k= first, then c o a n l d i b f m r s t x)") }
            changes.insert("\(body.count) → \(fixed.count) bytes", at: 0)
        }
        let unfixable = ButtonsDocument(decoding: fixed).findings.filter { $0.severity == .error }
            + (kept.isEmpty ? [ButtonsFinding(ButtonsCode.emptyDocument, .error, "no description with a k= is left: there is nothing a phone could apply")] : [])
        return ButtonsRepair(body: fixed == body ? body : fixed, changes: changes, unfixable: unfixable)
    }

    /// One line as an entry, its letter lowercased and its controls made spaces; nil (with a
    /// change said) for a line that is no entry at all.
    static func entry(_ bytes: ArraySlice<UInt8>, line: Int, changes: inout [String]) -> Entry? {
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")), equals == bytes.startIndex + 1,
              let letterByte = bytes.first, ButtonsDecoder.isASCIILetter(letterByte) else {
            changes.append("line \(line): left out \(QuotedText.quote(bytes)): it is no x=value entry, so the phone skipped it")
            return nil
        }
        var letter = String(UnicodeScalar(letterByte))
        if Property(rawValue: letter) == nil, Property(rawValue: letter.lowercased()) != nil {
            changes.append("line \(line): \(letter)= → \(letter.lowercased())= (letters are lowercase)")
            letter = letter.lowercased()
        }
        var valueBytes = Array(bytes[(equals + 1)...])
        if valueBytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            valueBytes = valueBytes.map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }
            changes.append("line \(line): control characters in \(letter)= made spaces (text may not hold CR, LF or TAB)")
        }
        var entry = Entry(letter: letter, value: String(decoding: valueBytes, as: UTF8.self), line: line)
        if let property = entry.property, !property.isFreeText, case .invalid = PropertyValues.verdict(property, entry.value) {
            for candidate in [entry.value.trimmed, entry.value.lowercased(), entry.value.trimmed.lowercased()]
            where PropertyValues.verdict(property, candidate) == .valid {
                changes.append("line \(line): \(letter)=\(entry.value) → \(letter)=\(candidate)")
                entry = Entry(letter: letter, value: candidate, line: line)
                break
            }
        }
        return entry
    }

    /// `k=3 c=on l=Sales` as the entries it packs. Only `k=` and enumerated values are split:
    /// from the first free-text entry on, ` x=` is text (`l=Press a=b now` is a label).
    static func unpacked(_ entry: Entry, changes: inout [String]) -> [Entry] {
        guard let property = entry.property, property == .key || !property.isFreeText,
              ButtonsDecoder.packedEntry(in: entry.value) != nil else { return [entry] }
        var pieces: [Entry] = []
        var letter = entry.letter
        var value: [UInt8] = []
        var freeText = false
        let bytes = Array(entry.value.utf8)
        var i = 0
        while i < bytes.count {
            if !freeText, bytes[i] == 0x20, i + 2 < bytes.count, ButtonsDecoder.isASCIILetter(bytes[i + 1]), bytes[i + 2] == UInt8(ascii: "=") {
                pieces.append(Entry(letter: letter, value: String(decoding: value, as: UTF8.self), line: entry.line))
                letter = String(UnicodeScalar(bytes[i + 1]))
                freeText = Property(rawValue: letter).map { $0.isFreeText && $0 != .key } ?? false
                value = []
                i += 3
                continue
            }
            value.append(bytes[i])
            i += 1
        }
        pieces.append(Entry(letter: letter, value: String(decoding: value, as: UTF8.self), line: entry.line))
        changes.append("line \(entry.line): split \(QuotedText.quote(entry.text)) into \(pieces.map(\.text).joined(separator: ", ")) (one entry a line)")
        return pieces
    }

    static func isEmptyText(_ entry: Entry) -> Bool {
        guard let p = entry.property, p.isFreeText, p != .key else { return false }
        return entry.value.isEmpty
    }
}
