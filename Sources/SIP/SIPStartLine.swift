/// Recognises a SIP start line by content, not by port: `METHOD uri SIP/2.0` or `SIP/2.0 200 OK`.
public enum SIPStartLine {
    /// Bytes of one line without its line ending.
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    public static func parse<C: Collection>(_ line: C) -> SIPMessage.StartLine? where C.Element == UInt8, C.Index == Int {
        guard line.count >= 11 else { return nil }
        let s = line.startIndex
        if isVersion(line, at: s) {
            // SIP/2.0 SP 3DIGIT SP reason
            let c = s + 8
            guard line.u8at(s + 7) == 0x20, let d1 = line.u8at(c), let d2 = line.u8at(c + 1), let d3 = line.u8at(c + 2),
                  isDigit(d1), isDigit(d2), isDigit(d3) else { return nil }
            if let after = line.u8at(c + 3), after != 0x20 { return nil }
            let code = Int(d1 - 0x30) * 100 + Int(d2 - 0x30) * 10 + Int(d3 - 0x30)
            let reason = c + 4 <= line.endIndex ? String(decoding: line[(c + 4)...], as: UTF8.self) : ""
            return .response(code: code, reason: reason)
        }
        // Request-Line: token SP Request-URI SP SIP-Version
        var i = s
        while i < line.endIndex, isTokenChar(line[i]) { i += 1 }
        guard i > s, i < line.endIndex, line[i] == 0x20 else { return nil }
        let method = String(decoding: line[s..<i], as: UTF8.self)
        let end = line.endIndex
        guard end - 8 > i + 1, line[end - 8] == 0x20, isVersion(line, at: end - 7) else { return nil }
        let uriBytes = line[(i + 1)..<(end - 8)]
        guard !uriBytes.isEmpty, !uriBytes.contains(0x20), uriBytes.contains(0x3a) else { return nil }
        return .request(method: method, uri: String(decoding: uriBytes, as: UTF8.self))
    }

    @inline(__always)
    static func isVersion<C: Collection>(_ b: C, at i: Int) -> Bool where C.Element == UInt8, C.Index == Int {
        guard i >= b.startIndex, i + 7 <= b.endIndex else { return false }
        return (b[i] | 0x20) == 0x73 && (b[i + 1] | 0x20) == 0x69 && (b[i + 2] | 0x20) == 0x70 && b[i + 3] == 0x2f
            && b[i + 4] == 0x32 && b[i + 5] == 0x2e && b[i + 6] == 0x30
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// RFC 3261 token characters.
    @inline(__always)
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x41...0x5a, 0x61...0x7a, 0x30...0x39: return true
        case 0x2d, 0x2e, 0x21, 0x25, 0x2a, 0x5f, 0x2b, 0x60, 0x27, 0x7e: return true
        default: return false
        }
    }

    /// A cheap first look: could these bytes begin a SIP message? Rejects RTP, DNS, TLS at once.
    @inline(__always)
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    public static func mayBegin<C: Collection>(_ b: C) -> Bool where C.Element == UInt8, C.Index == Int {
        guard let c = b.first else { return false }
        return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x0d || c == 0x0a
    }
}

extension Collection where Element == UInt8, Index == Int {
    @inline(__always)
    func u8at(_ i: Int) -> UInt8? { i >= startIndex && i < endIndex ? self[i] : nil }
}
