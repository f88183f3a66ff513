/// One header line, unfolded. `name` is as written; lookups use `key`, the lowercase long form,
/// so `l:` and `Content-Length:` are the same header.
public struct SIPHeader: Hashable, Sendable {
    public var name: String
    public var value: String
    public var key: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
        self.key = SIPHeader.canonicalKey(name)
    }

    /// RFC 3261 §7.3.3 compact forms, plus the common RFC 3265/3515/3841 ones.
    static let compactForms: [String: String] = [
        "i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length",
        "c": "content-type", "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via",
        "o": "event", "r": "refer-to", "u": "allow-events", "b": "referred-by", "x": "session-expires",
    ]

    public static func canonicalKey(_ name: String) -> String {
        // Names are nearly always ASCII and often already lowercase: skip the Unicode lowercasing then.
        var lower = name
        if name.utf8.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5a) }) { lower = name.lowercased() }
        return lower.utf8.count == 1 ? compactForms[lower] ?? lower : lower
    }
}
