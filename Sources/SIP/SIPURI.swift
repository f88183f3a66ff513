/// The parts of a SIP URI the analysis needs: user, host, port, parameters (`line=`, `transport=`).
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var host: String
    public var port: Int?
    public var parameters: [String: String]
    public var raw: String

    /// Parses `sip:user@host:port;param=value`; a name-addr (`"Name" <sip:…>;tag=x`) is unwrapped.
    /// Works on the UTF-8 bytes with integer offsets (every delimiter is ASCII) and makes a string
    /// only of the parts it keeps: this runs several times for every message.
    public init?(_ text: String) {
        var text = text
        guard let parts = text.withUTF8({ SIPURIParts(bytes: $0) }) else { return nil }
        self = parts
    }

    /// `SIPURI(text)?.user`, without making the rest: nil when `text` is no SIP URI, `.some(nil)`
    /// when it names no user.
    public static func user(of text: String) -> String?? {
        var text = text
        return text.withUTF8 { b in SIPURISpan(b).map { $0.user } }
    }

    init(scheme: String, user: String?, host: String, port: Int?, parameters: [String: String], raw: String) {
        self.scheme = scheme
        self.user = user
        self.host = host
        self.port = port
        self.parameters = parameters
        self.raw = raw
    }

    public var description: String { raw }
}

extension String {
    /// Without leading and trailing spaces and tabs. Works on bytes: no grapheme breaking, and
    /// no new string when there is nothing to trim.
    var trimmingSpaces: String {
        let u = utf8
        guard let f = u.first, let l = u.last else { return self }
        if f != 0x20 && f != 0x09 && l != 0x20 && l != 0x09 { return self }
        var a = u.startIndex, b = u.endIndex
        while a < b, u[a] == 0x20 || u[a] == 0x09 { a = u.index(after: a) }
        while b > a, u[u.index(before: b)] == 0x20 || u[u.index(before: b)] == 0x09 { b = u.index(before: b) }
        return String(Substring(u[a..<b]))
    }

    /// `%2A` → `*`; malformed escapes are left as written.
    var percentDecodedLoosely: String {
        guard utf8.contains(0x25) else { return self }
        var out: [UInt8] = []
        let b = Array(utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
