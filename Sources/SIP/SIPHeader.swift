/// One header line, unfolded. `name` is as written; lookups use `key`, the lowercase long form,
/// so `l:` and `Content-Length:` are the same header.
public struct SIPHeader: Hashable, Sendable {
    public var name: String
    public var value: String
    public var key: String
    /// The value's bytes as captured, kept only when they are not valid UTF-8 (then `value` shows
    /// U+FFFD for them): a replay must send the bytes, not the replacement characters.
    public var rawValue: [UInt8]?

    public init(name: String, value: String, rawValue: [UInt8]? = nil) {
        self.name = name
        self.value = value
        self.key = SIPHeader.canonicalKey(name)
        self.rawValue = rawValue
    }

    /// For the parser, which found the key from the name's bytes (`SIPHeaderKey`).
    init(name: String, key: String, value: String, rawValue: [UInt8]?) {
        self.name = name
        self.value = value
        self.key = key
        self.rawValue = rawValue
    }

    /// The bytes to send for the value: the captured ones while `value` is still what they read as.
    public var wireValue: [UInt8] {
        if let raw = rawValue, String(decoding: raw, as: UTF8.self) == value { return raw }
        return Array(value.utf8)
    }

    /// RFC 3261 §7.3.3 compact forms, plus the common RFC 3265/3515/3841 ones.
    static let compactForms: [String: String] = [
        "i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length",
        "c": "content-type", "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via",
        "o": "event", "r": "refer-to", "u": "allow-events", "b": "referred-by", "x": "session-expires",
    ]

    public static func canonicalKey(_ name: String) -> String {
        var bytes = name
        // A lookup name is nearly always written as its key already ("call-id"): then it is the key.
        enum Quick { case itself, key(String), unicode }
        let quick = bytes.withUTF8 { b -> Quick in
            if b.count > 1, !b.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5a) }) { return .itself }
            return SIPHeaderKey.key(b).map(Quick.key) ?? .unicode
        }
        switch quick {
        case .itself: return name
        case .key(let key): return key
        case .unicode: return unicodeKey(name)
        }
    }

    /// The key of any name (non-ASCII, long): `SIPHeaderKey` gives the same for short ASCII ones.
    static func unicodeKey(_ name: String) -> String {
        // Names are nearly always ASCII and often already lowercase: skip the Unicode lowercasing then.
        var lower = name
        if name.utf8.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5a) }) { lower = name.lowercased() }
        return lower.utf8.count == 1 ? compactForms[lower] ?? lower : lower
    }
}
