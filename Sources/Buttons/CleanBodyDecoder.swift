/// The common case read in one pass: a body in which nothing is wrong with any line.
///
/// Most documents in a capture are clean, and `ButtonsDecoder` spends most of its time preparing
/// to report problems (lines cut into arrays, places named, values trimmed and scanned again).
/// This reads the bytes once, makes a String only for each value kept, and gives up (nil) at the
/// first line a finding could concern; `ButtonsDecoder` then reads the whole body again. So it
/// only ever returns what `ButtonsDecoder` would: the line-ending findings (`bare-lf`,
/// `lone-final-cr`) are the only ones it makes, with the same text.
enum CleanBodyDecoder {
    static func decode(_ body: [UInt8]) -> ButtonsDocument? {
        var none = DescriptionMemo.none
        return decode(body, memo: &none)
    }

    /// As `decode(_:)`, taking description blocks seen before from `memo` and keeping new ones there.
    static func decode(_ body: [UInt8], memo: inout DescriptionMemo) -> ButtonsDocument? {
        body.withUnsafeBufferPointer { decode($0, memo: &memo) }
    }

    /// A description block being decoded that `memo` did not have: kept there once it closes.
    private struct Unseen {
        var hash: Int, start: Int, end: Int, line: Int, lines: Int, descriptionsBefore: Int
    }

    private static func decode(_ b: UnsafeBufferPointer<UInt8>, memo: inout DescriptionMemo) -> ButtonsDocument? {
        var descriptions: [KeyDescription] = []
        var entries: [Entry] = []
        // Room for a typical description at once: growing 1, 2, 4, 8 was a fifth of this decoder.
        entries.reserveCapacity(8)
        /// Properties already given in the description being read, one bit per canonical rank.
        var given: UInt32 = 0
        var lineCount = 0
        var sawCRLF = false
        var firstLF = 0
        var lastTerminator = LineTerminator.none
        var anyNonBlank = false
        let n = b.count
        var start = 0
        var unseen: Unseen?

        while start < n {
            if memo.isEnabled && entries.isEmpty && unseen == nil, let block = crlfBlock(b, from: start) {
                let line = lineCount + 1
                let bytes = UnsafeBufferPointer(rebasing: b[start..<block.end])
                let hash = DescriptionMemo.hash(bytes, line: line)
                if let seen = memo.find(hash, bytes, line: line) {
                    // What reading its lines would have done: the description, its lines, CRLF endings.
                    if descriptions.isEmpty { descriptions.reserveCapacity(16) }
                    descriptions.append(seen.description)
                    lineCount += seen.lines
                    sawCRLF = true
                    lastTerminator = .crlf
                    anyNonBlank = true
                    start = block.end
                    continue
                }
                unseen = Unseen(hash: hash, start: start, end: block.end, line: line, lines: block.lines,
                                descriptionsBefore: descriptions.count)
            }
            // One line: up to LF (its CR, if any, excluded), or the rest of the body.
            var end = start
            while end < n && b[end] != BodyLines.lf { end += 1 }
            var next = end + 1
            var terminator: LineTerminator
            if end < n {
                if end > start && b[end - 1] == BodyLines.cr {
                    end -= 1
                    terminator = .crlf
                    sawCRLF = true
                } else {
                    terminator = .lf
                    if firstLF == 0 { firstLF = lineCount + 1 }
                }
            } else {
                next = n
                if b[n - 1] == BodyLines.cr { end -= 1; terminator = .finalCR } else { terminator = .none }
            }
            lineCount += 1
            lastTerminator = terminator

            if end == start {
                close(&entries, &given, into: &descriptions)
                remember(&unseen, at: start, b, descriptions, in: &memo)
            } else {
                anyNonBlank = true
                // `x=value`, x a known property letter: anything else is a finding.
                guard end - start >= 2, b[start + 1] == UInt8(ascii: "="),
                      let property = property(b[start]) else { return nil }
                let bit: UInt32 = 1 << UInt32(property.canonicalRankFast)
                guard given & bit == 0, !(entries.isEmpty && property != .key) else { return nil }
                let valueStart = start + 2
                var i = valueStart
                while i < end {
                    let c = b[i]
                    // Controls, DEL and non-ASCII (whose UTF-8 needs checking) go the long way,
                    // as does ` x=` inside a value (entries written on one line).
                    if c < 0x20 || c >= 0x7F { return nil }
                    if c == 0x20 && i + 2 < end && ButtonsDecoder.isASCIILetter(b[i + 1])
                        && b[i + 2] == UInt8(ascii: "=") { return nil }
                    i += 1
                }
                if property.isFreeText && end > valueStart && (b[valueStart] == 0x20 || b[end - 1] == 0x20) {
                    return nil
                }
                let value = String(decoding: UnsafeBufferPointer(rebasing: b[valueStart..<end]), as: UTF8.self)
                guard case .valid = PropertyValues.verdict(property, value) else { return nil }
                // Empty text and f= without a target are findings (`GrammarEdges`).
                if (property.isFreeText && value.isEmpty) || property == .forward { return nil }
                given |= bit
                entries.append(Entry(property, value, line: lineCount))
            }
            start = next
        }
        guard anyNonBlank else { return nil } // empty-document: the full decoder says so
        if lastTerminator == .none { return nil } // missing-line-end: the full decoder says so
        close(&entries, &given, into: &descriptions)
        remember(&unseen, at: n, b, descriptions, in: &memo)

        let ending: ButtonsDocument.LineEnding
        switch (sawCRLF, firstLF > 0) {
        case (true, true): ending = .mixed
        case (true, false): ending = .crlf
        case (false, true): ending = .lf
        case (false, false): ending = .none
        }
        var findings: [ButtonsFinding] = []
        if firstLF > 0 { findings.append(ButtonsDecoder.bareLFFinding(line: firstLF)) }
        if lastTerminator == .finalCR { findings.append(ButtonsDecoder.loneFinalCRFinding(line: lineCount)) }
        return ButtonsDocument(descriptions: descriptions, findings: findings, lineEnding: ending,
                               lineCount: lineCount,
                               lastLineTerminated: lastTerminator == .crlf || lastTerminator == .lf)
    }

    /// The block of non-blank lines from `start`, if every one ends in CRLF: where it ends (at the
    /// blank line after it, or the body's end) and how many lines it has.
    private static func crlfBlock(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, lines: Int)? {
        var i = start, lines = 0
        let n = b.count
        let limit = Swift.min(n, start + DescriptionMemo.maxBlockBytes)
        while i < n {
            guard i < limit else { return nil }                    // too long a block to keep
            var lf = i
            while lf < limit && b[lf] != BodyLines.lf { lf += 1 }
            guard lf < limit else { return nil }                   // a last line without its ending, or too long
            if lf == i || (lf == i + 1 && b[i] == BodyLines.cr) { break } // the blank line
            guard b[lf - 1] == BodyLines.cr else { return nil }    // a bare LF
            lines += 1
            i = lf + 1
        }
        return lines > 0 ? (i, lines) : nil
    }

    /// Keeps the block just closed at `at`, if it is the whole block first seen and became one description.
    private static func remember(_ unseen: inout Unseen?, at position: Int, _ b: UnsafeBufferPointer<UInt8>,
                                 _ descriptions: [KeyDescription], in memo: inout DescriptionMemo) {
        guard let u = unseen else { return }
        unseen = nil
        guard position == u.end, descriptions.count == u.descriptionsBefore + 1, let d = descriptions.last else { return }
        memo.keep(u.hash, DescriptionMemo.Block(bytes: Array(b[u.start..<u.end]), line: u.line, lines: u.lines, description: d))
    }

    @inline(__always)
    private static func close(_ entries: inout [Entry], _ given: inout UInt32, into descriptions: inout [KeyDescription]) {
        guard let first = entries.first else { return }
        if descriptions.isEmpty { descriptions.reserveCapacity(16) }
        let size = entries.count
        descriptions.append(KeyDescription(key: first.value, entries: entries, line: first.line))
        entries = []
        entries.reserveCapacity(Swift.max(8, size))
        given = 0
    }

    /// The property a wire letter names, without going through a String.
    @inline(__always)
    static func property(_ letter: UInt8) -> Property? {
        switch letter {
        case UInt8(ascii: "k"): return .key
        case UInt8(ascii: "c"): return .light
        case UInt8(ascii: "o"): return .color
        case UInt8(ascii: "a"): return .action
        case UInt8(ascii: "n"): return .destination
        case UInt8(ascii: "l"): return .label
        case UInt8(ascii: "d"): return .displayName
        case UInt8(ascii: "i"): return .caller
        case UInt8(ascii: "b"): return .direction
        case UInt8(ascii: "f"): return .forward
        case UInt8(ascii: "m"): return .mwi
        case UInt8(ascii: "r"): return .release
        case UInt8(ascii: "s"): return .state
        case UInt8(ascii: "t"): return .treatment
        case UInt8(ascii: "x"): return .type
        default: return nil
        }
    }
}

extension Property {
    /// `canonicalRank` without searching `allCases`: the declaration order.
    var canonicalRankFast: Int {
        switch self {
        case .key: return 0
        case .light: return 1
        case .color: return 2
        case .action: return 3
        case .destination: return 4
        case .label: return 5
        case .displayName: return 6
        case .caller: return 7
        case .direction: return 8
        case .forward: return 9
        case .mwi: return 10
        case .release: return 11
        case .state: return 12
        case .treatment: return 13
        case .type: return 14
        }
    }
}
