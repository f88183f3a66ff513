/// The parts of a SIP URI the analysis needs: user, host, port, parameters (`line=`, `transport=`).
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var host: String
    public var port: Int?
    public var parameters: [String: String]
    public var raw: String

    /// Parses `sip:user@host:port;param=value`; a name-addr (`"Name" <sip:…>;tag=x`) is unwrapped.
    /// Searches bytes (every delimiter is ASCII), never graphemes: this runs for every message.
    public init?(_ text: String) {
        var s = Substring(text.trimmingSpaces)
        if let lt = s.utf8.firstIndex(of: 0x3c) {
            let after = s[s.utf8.index(after: lt)...]
            s = after.utf8.firstIndex(of: 0x3e).map { after[..<$0] } ?? after
        }
        raw = String(s)
        guard let colon = s.utf8.firstIndex(of: 0x3a) else { return nil }
        scheme = s[..<colon].lowercased()
        guard scheme == "sip" || scheme == "sips" || scheme == "tel" else { return nil }
        var rest = s[s.utf8.index(after: colon)...]
        if let q = rest.utf8.firstIndex(of: 0x3f) { rest = rest[..<q] }
        var params: [String: String] = [:]
        var hostPort = rest
        if let semi = rest.utf8.firstIndex(of: 0x3b) {
            hostPort = rest[..<semi]
            for p in rest[rest.utf8.index(after: semi)...].utf8.split(separator: 0x3b, omittingEmptySubsequences: false) {
                let part = Substring(p)
                if let eq = part.utf8.firstIndex(of: 0x3d) {
                    params[part[..<eq].lowercased()] = String(part[part.utf8.index(after: eq)...])
                } else if !part.isEmpty {
                    params[part.lowercased()] = ""
                }
            }
        }
        parameters = params
        if let at = hostPort.utf8.lastIndex(of: 0x40) {
            user = String(hostPort[..<at]).percentDecodedLoosely
            hostPort = hostPort[hostPort.utf8.index(after: at)...]
        } else {
            user = scheme == "tel" ? String(hostPort) : nil
        }
        if hostPort.utf8.first == 0x5b, let close = hostPort.utf8.firstIndex(of: 0x5d) {
            host = String(hostPort[hostPort.utf8.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.utf8.index(after: close)...]
            port = after.utf8.first == 0x3a ? Int(after.dropFirst()) : nil
        } else if let c = hostPort.utf8.lastIndex(of: 0x3a) {
            host = String(hostPort[..<c])
            port = Int(hostPort[hostPort.utf8.index(after: c)...])
        } else {
            host = String(hostPort)
            port = nil
        }
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
