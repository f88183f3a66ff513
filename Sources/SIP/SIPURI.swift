/// The parts of a SIP URI the analysis needs: user, host, port, parameters (`line=`, `transport=`).
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var host: String
    public var port: Int?
    public var parameters: [String: String]
    public var raw: String

    /// Parses `sip:user@host:port;param=value`; a name-addr (`"Name" <sip:…>;tag=x`) is unwrapped.
    public init?(_ text: String) {
        var s = Substring(text.trimmingSpaces)
        if let lt = s.firstIndex(of: "<") {
            let after = s[s.index(after: lt)...]
            s = after.firstIndex(of: ">").map { after[..<$0] } ?? after
        }
        raw = String(s)
        guard let colon = s.firstIndex(of: ":") else { return nil }
        scheme = s[..<colon].lowercased()
        guard scheme == "sip" || scheme == "sips" || scheme == "tel" else { return nil }
        var rest = s[s.index(after: colon)...]
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        var params: [String: String] = [:]
        let parts = rest.split(separator: ";", omittingEmptySubsequences: false)
        for p in parts.dropFirst() {
            if let eq = p.firstIndex(of: "=") {
                params[p[..<eq].lowercased()] = String(p[p.index(after: eq)...])
            } else if !p.isEmpty {
                params[p.lowercased()] = ""
            }
        }
        parameters = params
        var hostPort = parts.first ?? ""
        if let at = hostPort.lastIndex(of: "@") {
            user = String(hostPort[..<at]).percentDecodedLoosely
            hostPort = hostPort[hostPort.index(after: at)...]
        } else {
            user = scheme == "tel" ? String(hostPort) : nil
        }
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let c = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<c])
            port = Int(hostPort[hostPort.index(after: c)...])
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
        guard contains("%") else { return self }
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
