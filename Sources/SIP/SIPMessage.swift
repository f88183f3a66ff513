/// A SIP request or response: start line, headers in order, and the body bytes that followed.
public struct SIPMessage: Sendable {
    public enum StartLine: Hashable, Sendable {
        case request(method: String, uri: String)
        case response(code: Int, reason: String)
    }

    public var startLine: StartLine
    public var headers: [SIPHeader]
    public var body: [UInt8]
    /// The header section used bare LF line endings somewhere.
    public var headerUsesBareLF: Bool

    public init(startLine: StartLine, headers: [SIPHeader], body: [UInt8] = [], headerUsesBareLF: Bool = false) {
        self.startLine = startLine
        self.headers = headers
        self.body = body
        self.headerUsesBareLF = headerUsesBareLF
    }

    public var isRequest: Bool { if case .request = startLine { return true } else { return false } }
    public var method: String? { if case let .request(m, _) = startLine { return m } else { return nil } }
    public var requestURI: String? { if case let .request(_, u) = startLine { return u } else { return nil } }
    public var statusCode: Int? { if case let .response(c, _) = startLine { return c } else { return nil } }
    public var reasonPhrase: String? { if case let .response(_, r) = startLine { return r } else { return nil } }

    /// First value of a header, by any spelling (`l`, `Content-Length`, `content-length`).
    public func header(_ name: String) -> String? {
        let key = SIPHeader.canonicalKey(name)
        return headers.first { $0.key == key }?.value
    }

    /// Every value of a header, comma-separated values split (for Via, Supported, Require…).
    public func headerValues(_ name: String) -> [String] {
        let key = SIPHeader.canonicalKey(name)
        return headers.filter { $0.key == key }.flatMap { SIPMessage.splitCommas($0.value) }
    }

    public var callID: String? { header("call-id") }

    /// CSeq number and method; nil when absent or malformed.
    public var cseq: (number: UInt32, method: String)? {
        guard let v = header("cseq") else { return nil }
        let parts = v.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2, let n = UInt32(parts[0]) else { return nil }
        return (n, String(parts[1]))
    }

    /// Content-Length as declared: `.absent`, `.invalid` (not a number), or the value.
    public var declaredContentLength: DeclaredLength {
        guard let raw = header("content-length") else { return .absent }
        let t = raw.trimmingSpaces
        guard !t.isEmpty, t.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .invalid(raw) }
        // Hostile values (9999999999, or longer) must not trap: anything past 18 digits is huge.
        if t.utf8.count > 18 { return .value(Int.max) }
        return .value(Int(t) ?? Int.max)
    }

    public var contentType: String? { header("content-type") }

    /// The top Via's `branch` parameter: the RFC 3261 transaction key.
    public var topViaBranch: String? {
        guard let top = headerValues("via").first else { return nil }
        return SIPMessage.parameter("branch", in: top)
    }

    public var from: SIPURI? { header("from").flatMap(SIPURI.init) }
    public var to: SIPURI? { header("to").flatMap(SIPURI.init) }
    public var fromTag: String? { header("from").flatMap { SIPMessage.parameter("tag", in: SIPMessage.afterAddress($0)) } }
    public var toTag: String? { header("to").flatMap { SIPMessage.parameter("tag", in: SIPMessage.afterAddress($0)) } }
    public var requestSIPURI: SIPURI? { requestURI.flatMap(SIPURI.init) }

    /// `;name=value` from a header value's parameters (case-insensitive name).
    public static func parameter(_ name: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.first.map({ $0.trimmingCharacters() .lowercased() }) == name {
                return kv.count > 1 ? kv[1].trimmingCharacters() : ""
            }
        }
        return nil
    }

    /// The part of a From/To value after its address, where header parameters like `tag` live.
    static func afterAddress(_ value: String) -> String {
        if let gt = value.lastIndex(of: ">") { return "x" + value[value.index(after: gt)...] }
        return value
    }

    /// Splits at commas outside quotes and angle brackets.
    static func splitCommas(_ value: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inQuote = false, depth = 0
        for ch in value {
            switch ch {
            case "\"": inQuote.toggle(); current.append(ch)
            case "<" where !inQuote: depth += 1; current.append(ch)
            case ">" where !inQuote: depth = max(0, depth - 1); current.append(ch)
            case "," where !inQuote && depth == 0:
                out.append(current.trimmingSpaces); current = ""
            default: current.append(ch)
            }
        }
        let last = current.trimmingSpaces
        if !last.isEmpty { out.append(last) }
        return out
    }
}

public enum DeclaredLength: Hashable, Sendable {
    case absent
    case invalid(String)
    case value(Int)

    public var value: Int? { if case .value(let v) = self { return v } else { return nil } }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingSpaces }
}
