/// Parses a header section (start line through the empty line) into a body-less `SIPMessage`.
public enum SIPHeaderParser {
    /// Where the header section ends: the index just past its empty line, or nil if not yet.
    /// Accepts CRLF and bare LF line endings (some broken stacks send LF only).
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    public static func headerEnd<C: Collection>(_ b: C, from start: Int, limit: Int = .max) -> Int? where C.Element == UInt8, C.Index == Int {
        var i = start
        let end = Swift.min(b.endIndex, limit == .max ? b.endIndex : start &+ limit)
        while i < end {
            guard let nl = b[i..<end].firstIndex(of: 0x0a) else { return nil }
            let next = nl + 1
            if next < b.endIndex {
                if b[next] == 0x0a { return next + 1 }
                if b[next] == 0x0d, next + 1 < b.endIndex, b[next + 1] == 0x0a { return next + 2 }
                if b[next] == 0x0d, next + 1 >= b.endIndex { return nil }
            }
            i = next
        }
        return nil
    }

    /// `bytes` holds the start line and header lines (its final empty line optional).
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    public static func parse<C: Collection>(_ bytes: C) -> SIPMessage? where C.Element == UInt8, C.Index == Int {
        // The lines as index ranges in one buffer sized at once, and the headers likewise: arrays
        // grown one element at a time cost five allocations each for a dozen lines.
        var lines: [Range<Int>] = []
        lines.reserveCapacity(24)
        var bareLF = false
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let nl = bytes[i...].firstIndex(of: 0x0a) ?? bytes.endIndex
            var lineEnd = nl
            if lineEnd > i, bytes[lineEnd - 1] == 0x0d { lineEnd -= 1 } else if nl < bytes.endIndex { bareLF = true }
            if lineEnd == i { break }
            lines.append(i..<lineEnd)
            i = nl + 1
        }
        guard let first = lines.first, let startLine = SIPStartLine.parse(bytes[first]) else { return nil }
        // Lines keep 16-bit offsets: a longer section (hostile, or absurd) is made as values.
        if bytes.count > HeaderLines.maxBytes { return folded(bytes, startLine: startLine, lines: lines, bareLF: bareLF) }
        // Kept as ranges into one copy of the bytes (`HeaderLines`); strings are made when asked for.
        let base = bytes.startIndex
        var read: [HeaderLines.Line] = []
        read.reserveCapacity(lines.count - 1)
        for range in lines.dropFirst() {
            let line = bytes[range]
            if let c = line.first, c == 0x20 || c == 0x09, !read.isEmpty {
                // A folded line continues the previous header's value: not one range, so this
                // message's headers are made as values (folding is rare).
                return folded(bytes, startLine: startLine, lines: lines, bareLF: bareLF)
            }
            guard let colon = line.firstIndex(of: 0x3a) else { continue }
            let nameBytes = trimmed(line[line.startIndex..<colon])
            if nameBytes.isEmpty { continue }
            let valueBytes = trimmed(line[(colon + 1)...])
            // A name past ASCII may still key as a common one ("\u{212A}" lowercases to "k"): asked through its key.
            let quick: UInt8?? = nameBytes.withContiguousStorageIfAvailable(SIPHeaderKey.number)
            let known = quick.flatMap { $0 }
                ?? SIPHeaderKey.number(ofKey: SIPHeader.canonicalKey(String(decoding: nameBytes, as: UTF8.self)))
            read.append(HeaderLines.Line(name: (nameBytes.startIndex - base)..<(nameBytes.endIndex - base),
                                         value: (valueBytes.startIndex - base)..<(valueBytes.endIndex - base), known: known))
        }
        // A copy of exactly these bytes: `Array` of a slice spanning a whole array shares that array's
        // storage, and a TCP framer's buffer (up to 8 KiB, kept for the next message) then stayed
        // with every message whose segment ended where its headers did: 3 MB of a run's window.
        let own = bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
        return SIPMessage(startLine: startLine, lines: HeaderLines(bytes: own, lines: read), headerUsesBareLF: bareLF)
    }

    /// The headers as values, folded lines joined to the one before them.
    private static func folded<C: Collection>(_ bytes: C, startLine: SIPMessage.StartLine, lines: [Range<Int>], bareLF: Bool) -> SIPMessage
        where C.Element == UInt8, C.Index == Int {
        var headers: [SIPHeader] = []
        headers.reserveCapacity(lines.count - 1)
        for range in lines.dropFirst() {
            let line = bytes[range]
            if let c = line.first, c == 0x20 || c == 0x09, !headers.isEmpty {
                let more = String(decoding: line, as: UTF8.self).trimmingSpaces
                headers[headers.count - 1].value += " " + more
                continue
            }
            guard let colon = line.firstIndex(of: 0x3a) else { continue }
            let nameBytes = trimmed(line[line.startIndex..<colon])
            if nameBytes.isEmpty { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            let valueBytes = trimmed(line[(colon + 1)...])
            let value = String(decoding: valueBytes, as: UTF8.self)
            let raw = HeaderLines.undecodable(valueBytes)
            let quick: String?? = nameBytes.withContiguousStorageIfAvailable(SIPHeaderKey.key)
            let key = quick.flatMap { $0 } ?? SIPHeader.canonicalKey(name)
            headers.append(SIPHeader(name: name, key: key, value: value, rawValue: raw))
        }
        return SIPMessage(startLine: startLine, headers: headers, headerUsesBareLF: bareLF)
    }

    /// Without leading and trailing spaces and tabs, before any string is made of it.
    private static func trimmed<S: Collection>(_ b: S) -> S.SubSequence where S.Element == UInt8, S.Index == Int {
        var a = b.startIndex, e = b.endIndex
        while a < e, b[a] == 0x20 || b[a] == 0x09 { a += 1 }
        while e > a, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
        return b[a..<e]
    }
}
