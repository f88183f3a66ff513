/// The byte-level parse behind `SIPURI.init`: offsets into one contiguous UTF-8 buffer, so that
/// finding a delimiter is a loop over bytes rather than a walk of string indices.
func SIPURIParts(bytes b: UnsafeBufferPointer<UInt8>) -> SIPURI? {
    guard let span = SIPURISpan(b) else { return nil }
    var hostStart = span.hostStart
    let hostEnd = span.hostEnd, restEnd = span.restEnd
    var params: [String: String] = [:]
    if hostEnd < restEnd {
        var p = hostEnd + 1
        while true {
            let partEnd = span.first(0x3b, p, restEnd) ?? restEnd
            if let eq = span.first(0x3d, p, partEnd) {
                params[span.text(p, eq).lowercased()] = span.text(eq + 1, partEnd)
            } else if partEnd > p {
                params[span.text(p, partEnd).lowercased()] = ""
            }
            if partEnd >= restEnd { break }
            p = partEnd + 1
        }
    }
    let user = span.user
    if let at = span.at { hostStart = at + 1 }
    let host: String
    let port: Int?
    if hostStart < hostEnd, b[hostStart] == 0x5b, let close = span.first(0x5d, hostStart, hostEnd) {
        host = span.text(hostStart + 1, close)
        port = close + 1 < hostEnd && b[close + 1] == 0x3a ? Int(span.text(close + 2, hostEnd)) : nil
    } else if let c = span.last(0x3a, hostStart, hostEnd) {
        host = span.text(hostStart, c)
        port = Int(span.text(c + 1, hostEnd))
    } else {
        host = span.text(hostStart, hostEnd)
        port = nil
    }
    return SIPURI(scheme: span.scheme, user: user, host: host, port: port, parameters: params, raw: span.text(span.start, span.end))
}

/// Where a SIP URI's parts lie in its bytes, and its scheme: enough to name the user without
/// making the host, port and parameter strings (`PhoneParty` asks for users of every request).
struct SIPURISpan {
    let b: UnsafeBufferPointer<UInt8>
    /// The URI without spaces and angle brackets.
    let start: Int, end: Int
    let scheme: String
    /// user@host:port, before `;` parameters and `?` headers.
    let hostStart: Int, hostEnd: Int
    /// Where the parameters end (a `?` or the end).
    let restEnd: Int
    /// The last `@` of user@host.
    let at: Int?

    init?(_ b: UnsafeBufferPointer<UInt8>) {
        self.b = b
        var start = 0, end = b.count
        // Trim spaces and tabs.
        while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
        while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
        // A name-addr: what is inside the angle brackets.
        if let lt = Self.first(b, 0x3c, start, end) {
            start = lt + 1
            if let gt = Self.first(b, 0x3e, start, end) { end = gt }
        }
        guard let colon = Self.first(b, 0x3a, start, end) else { return nil }
        // Compared by bytes, case-insensitively; the string made once it is known.
        func isScheme(_ name: StaticString) -> Bool {
            guard colon - start == name.utf8CodeUnitCount else { return false }
            for i in 0..<name.utf8CodeUnitCount where b[start + i] | 0x20 != name.utf8Start[i] { return false }
            return true
        }
        if isScheme("sip") { scheme = "sip" } else if isScheme("sips") { scheme = "sips" } else if isScheme("tel") { scheme = "tel" } else { return nil }
        self.start = start
        self.end = end
        restEnd = Self.first(b, 0x3f, colon + 1, end) ?? end
        hostStart = colon + 1
        hostEnd = Self.first(b, 0x3b, hostStart, restEnd) ?? restEnd
        at = Self.last(b, 0x40, hostStart, hostEnd)
    }

    /// The user part, percent-decoded; a `tel:` URI's number.
    var user: String? {
        if let at {
            let user = text(hostStart, at)
            return Self.first(b, 0x25, hostStart, at) == nil ? user : user.percentDecodedLoosely
        }
        return scheme == "tel" ? text(hostStart, hostEnd) : nil
    }

    func text(_ a: Int, _ e: Int) -> String {
        a >= e ? "" : String(decoding: UnsafeBufferPointer(rebasing: b[a..<e]), as: UTF8.self)
    }

    func first(_ byte: UInt8, _ a: Int, _ e: Int) -> Int? { Self.first(b, byte, a, e) }
    func last(_ byte: UInt8, _ a: Int, _ e: Int) -> Int? { Self.last(b, byte, a, e) }

    static func first(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ a: Int, _ e: Int) -> Int? {
        var i = a
        while i < e { if b[i] == byte { return i }; i += 1 }
        return nil
    }

    static func last(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ a: Int, _ e: Int) -> Int? {
        var i = e
        while i > a { i -= 1; if b[i] == byte { return i } }
        return nil
    }
}
