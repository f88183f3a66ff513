/// One challenge from a `WWW-Authenticate` header: the scheme (`Basic`, `Digest`) and its
/// parameters (`realm`, `nonce`, `qop`, `opaque`, `algorithm`, …), names lowercased.
public struct HTTPAuthChallenge: Hashable, Sendable {
    public var scheme: String
    public var parameters: [String: String]

    public init(scheme: String, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public var isDigest: Bool { scheme.lowercased() == "digest" }
    public var isBasic: Bool { scheme.lowercased() == "basic" }

    /// The challenges in one header value (RFC 7235 allows several, comma-separated; a quoted
    /// value such as `qop="auth,auth-int"` keeps its commas).
    public static func parse(_ value: String) -> [HTTPAuthChallenge] {
        var challenges: [HTTPAuthChallenge] = []
        var s = Substring(value)
        while true {
            s = s.drop { $0 == " " || $0 == "," || $0 == "\t" }
            guard !s.isEmpty else { break }
            let token = s.prefix { $0 != " " && $0 != "," && $0 != "=" && $0 != "\t" }
            let afterToken = s.dropFirst(token.count)
            if afterToken.first == "=", let current = challenges.indices.last {
                // `name=value` continues the current challenge.
                var rest = afterToken.dropFirst()
                let parsed: String
                if rest.first == "\"" {
                    rest = rest.dropFirst()
                    var text = ""
                    while let c = rest.first, c != "\"" {
                        if c == "\\", rest.count > 1 { rest = rest.dropFirst() }
                        text.append(rest.first ?? c)
                        rest = rest.dropFirst()
                    }
                    rest = rest.dropFirst()
                    parsed = text
                } else {
                    let raw = rest.prefix { $0 != "," }
                    rest = rest.dropFirst(raw.count)
                    parsed = String(raw).httpTrimmed
                }
                challenges[current].parameters[token.lowercased()] = parsed
                s = rest
            } else {
                challenges.append(HTTPAuthChallenge(scheme: String(token), parameters: [:]))
                s = afterToken
            }
        }
        return challenges
    }
}

fileprivate extension String {
    var httpTrimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
