import Base

/// A web-interface user and password, and the `Authorization` header answering a challenge:
/// Basic (RFC 7617) or Digest (RFC 7616/2617, MD5 and MD5-sess, qop=auth or none).
public struct HTTPCredentials: Sendable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    public func basicAuthorization() -> String {
        "Basic " + HTTPBase64.encode(Array("\(user):\(password)".utf8))
    }

    /// Digest's answer for `method target`. `cnonce` is fresh per request; `nc` counts uses of the nonce.
    public func digestAuthorization(_ challenge: HTTPAuthChallenge, method: String, target: String,
                                    cnonce: String, nc: Int = 1) throws -> String {
        let p = challenge.parameters
        guard let realm = p["realm"], let nonce = p["nonce"] else {
            throw HTTPAuthError("the phone's Digest challenge has no realm or nonce")
        }
        let algorithm = p["algorithm"] ?? "MD5"
        let sess: Bool
        switch algorithm.uppercased() {
        case "MD5": sess = false
        case "MD5-SESS": sess = true
        default: throw HTTPAuthError("the phone asks for Digest algorithm \(algorithm); ButtonScope speaks MD5 and MD5-sess")
        }
        let offered = (p["qop"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: " \t").lowercased() }
        let qop: String?
        if offered.isEmpty || offered == [""] {
            qop = nil
        } else if offered.contains("auth") {
            qop = "auth"
        } else {
            throw HTTPAuthError("the phone offers Digest qop \(p["qop"] ?? "") but not auth")
        }
        var ha1 = DigestMD5.hex("\(user):\(realm):\(password)")
        if sess { ha1 = DigestMD5.hex("\(ha1):\(nonce):\(cnonce)") }
        let ha2 = DigestMD5.hex("\(method):\(target)")
        let ncText = String(nc, radix: 16).leftPadded(to: 8)
        let response = qop == nil ? DigestMD5.hex("\(ha1):\(nonce):\(ha2)")
                                  : DigestMD5.hex("\(ha1):\(nonce):\(ncText):\(cnonce):auth:\(ha2)")
        var fields = ["username=\(quoted(user))", "realm=\(quoted(realm))", "nonce=\(quoted(nonce))",
                      "uri=\(quoted(target))", "response=\(quoted(response))", "algorithm=\(algorithm)"]
        if qop != nil { fields += ["qop=auth", "nc=\(ncText)", "cnonce=\(quoted(cnonce))"] }
        if let opaque = p["opaque"] { fields.append("opaque=\(quoted(opaque))") }
        return "Digest " + fields.joined(separator: ", ")
    }

    private func quoted(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}

public struct HTTPAuthError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// HTTPBase64 for Basic auth (the toolchain has none without Foundation).
enum HTTPBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".unicodeScalars)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = bytes[i], b1 = n > 1 ? bytes[i + 1] : 0, b2 = n > 2 ? bytes[i + 2] : 0
            out.unicodeScalars.append(alphabet[Int(b0 >> 2)])
            out.unicodeScalars.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out += n > 1 ? String(alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)]) : "="
            out += n > 2 ? String(alphabet[Int(b2 & 0x3f)]) : "="
            i += 3
        }
        return out
    }
}

fileprivate extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }

    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

fileprivate extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
