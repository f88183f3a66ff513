/// The byte-level parse behind `SIPURI.init`: offsets into one contiguous UTF-8 buffer, so that
/// finding a delimiter is a loop over bytes rather than a walk of string indices.
func SIPURIParts(bytes b: UnsafeBufferPointer<UInt8>) -> SIPURI? {
    func text(_ a: Int, _ e: Int) -> String {
        a >= e ? "" : String(decoding: UnsafeBufferPointer(rebasing: b[a..<e]), as: UTF8.self)
    }
    func first(_ byte: UInt8, _ a: Int, _ e: Int) -> Int? {
        var i = a
        while i < e { if b[i] == byte { return i }; i += 1 }
        return nil
    }
    func last(_ byte: UInt8, _ a: Int, _ e: Int) -> Int? {
        var i = e
        while i > a { i -= 1; if b[i] == byte { return i } }
        return nil
    }
    // Trim spaces and tabs.
    var start = 0, end = b.count
    while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }
    while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
    // A name-addr: what is inside the angle brackets.
    if let lt = first(0x3c, start, end) {
        start = lt + 1
        if let gt = first(0x3e, start, end) { end = gt }
    }
    guard let colon = first(0x3a, start, end) else { return nil }
    let scheme = asciiLowercased(b, start, colon)
    guard scheme == "sip" || scheme == "sips" || scheme == "tel" else { return nil }
    var restEnd = end
    if let q = first(0x3f, colon + 1, end) { restEnd = q }
    var hostStart = colon + 1, hostEnd = restEnd
    var params: [String: String] = [:]
    if let semi = first(0x3b, hostStart, restEnd) {
        hostEnd = semi
        var p = semi + 1
        while true {
            let partEnd = first(0x3b, p, restEnd) ?? restEnd
            if let eq = first(0x3d, p, partEnd) {
                params[text(p, eq).lowercased()] = text(eq + 1, partEnd)
            } else if partEnd > p {
                params[text(p, partEnd).lowercased()] = ""
            }
            if partEnd >= restEnd { break }
            p = partEnd + 1
        }
    }
    let user: String?
    if let at = last(0x40, hostStart, hostEnd) {
        user = text(hostStart, at).percentDecodedLoosely
        hostStart = at + 1
    } else {
        user = scheme == "tel" ? text(hostStart, hostEnd) : nil
    }
    let host: String
    let port: Int?
    if hostStart < hostEnd, b[hostStart] == 0x5b, let close = first(0x5d, hostStart, hostEnd) {
        host = text(hostStart + 1, close)
        port = close + 1 < hostEnd && b[close + 1] == 0x3a ? Int(text(close + 2, hostEnd)) : nil
    } else if let c = last(0x3a, hostStart, hostEnd) {
        host = text(hostStart, c)
        port = Int(text(c + 1, hostEnd))
    } else {
        host = text(hostStart, hostEnd)
        port = nil
    }
    return SIPURI(scheme: scheme, user: user, host: host, port: port, parameters: params, raw: text(start, end))
}

/// ASCII lower case of a byte range; other bytes are kept (a scheme is ASCII or not a scheme).
private func asciiLowercased(_ b: UnsafeBufferPointer<UInt8>, _ a: Int, _ e: Int) -> String {
    String(unsafeUninitializedCapacity: max(0, e - a)) { out in
        var n = 0
        for i in a..<max(a, e) {
            let c = b[i]
            out[n] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c
            n += 1
        }
        return n
    }
}
