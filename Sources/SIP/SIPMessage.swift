/// A SIP request or response: start line, headers in order, and the body bytes that followed.
public struct SIPMessage: Sendable {
    public enum StartLine: Hashable, Sendable {
        case request(method: String, uri: String)
        case response(code: Int, reason: String)
    }

    public var startLine: StartLine
    /// The headers in order. A parsed message keeps them as `HeaderLines` and makes these on
    /// demand; lookups (`header`, `headerValues`, `callID`…) read the lines without making them.
    public var headers: [SIPHeader] {
        get { lines?.headers ?? given }
        set {
            given = newValue
            lines = nil
            transaction = TransactionFields(newValue)
        }
    }
    public var body: [UInt8]
    /// The header section used bare LF line endings somewhere.
    public var headerUsesBareLF: Bool
    /// Headers given as values (built messages, changed ones); empty while `lines` holds them.
    private var given: [SIPHeader]
    /// Headers as read by the parser.
    private var lines: HeaderLines?
    /// Top Via branch and CSeq, read once: every stage keys transactions on them, several times a message.
    private var transaction: TransactionFields

    /// Bytes allocated for the header section as read (its copy's capacity, not its count): what a
    /// message held in a run's window costs beyond its body.
    var headerBytesCapacity: Int { lines?.bytes.capacity ?? 0 }

    public init(startLine: StartLine, headers: [SIPHeader], body: [UInt8] = [], headerUsesBareLF: Bool = false) {
        self.startLine = startLine
        self.given = headers
        self.lines = nil
        self.body = body
        self.headerUsesBareLF = headerUsesBareLF
        self.transaction = TransactionFields(headers)
    }

    /// For the parser: headers as lines of the bytes read.
    init(startLine: StartLine, lines: HeaderLines, headerUsesBareLF: Bool) {
        self.startLine = startLine
        self.given = []
        self.lines = lines
        self.body = []
        self.headerUsesBareLF = headerUsesBareLF
        self.transaction = TransactionFields(lines)
    }

    /// Read once, when the message is made: the transaction fields every stage keys on, and the
    /// Call-ID and Content-Type that every stage asks for, several times a message.
    private struct TransactionFields: Sendable {
        var topViaBranch: String?
        var cseq: (number: UInt32, method: String)?
        var callID: String?
        var contentType: String?

        init(_ headers: [SIPHeader]) {
            callID = headers.first { $0.key == "call-id" }?.value
            contentType = headers.first { $0.key == "content-type" }?.value
            // The first value of the first Via that has one (as `headerValues("via").first`, without
            // splitting every Via).
            // Over the values' bytes (TransactionFieldBytes): no strings but the two kept.
            for h in headers where h.key == "via" {
                if case .some(let branch) = TransactionFieldBytes.topViaBranch(h.value) {
                    topViaBranch = branch
                    break
                }
            }
            if let v = headers.first(where: { $0.key == "cseq" })?.value {
                cseq = TransactionFieldBytes.cseq(v)
            }
        }

        /// Content types past 15 bytes (a shorter string is held inline) that most messages carry:
        /// literals, whose storage is the program's own.
        static let commonContentTypes: [String] = ["application/x-buttons", "application/dialog-info+xml",
                                                         "application/simple-message-summary", "application/pidf+xml"]

        /// The same, over the lines' bytes. A value that is not UTF-8 goes through its string,
        /// as above (the replacement characters are what the string reading saw).
        init(_ lines: HeaderLines) {
            callID = lines.first(SIPHeaderKey.callID).map(lines.value)
            contentType = lines.first(SIPHeaderKey.contentType).map { lines.value($0, common: Self.commonContentTypes) }
            for line in lines.lines where line.known == SIPHeaderKey.via {
                if case .some(let branch) = lines.read(line, bytes: TransactionFieldBytes.topViaBranch, string: TransactionFieldBytes.topViaBranch) {
                    topViaBranch = branch
                    break
                }
            }
            if let line = lines.first(SIPHeaderKey.cseq) {
                cseq = lines.read(line, bytes: TransactionFieldBytes.cseq, string: TransactionFieldBytes.cseq)
            }
        }
    }

    public var isRequest: Bool { if case .request = startLine { return true } else { return false } }
    public var method: String? { if case let .request(m, _) = startLine { return m } else { return nil } }
    public var requestURI: String? { if case let .request(_, u) = startLine { return u } else { return nil } }
    public var statusCode: Int? { if case let .response(c, _) = startLine { return c } else { return nil } }
    public var reasonPhrase: String? { if case let .response(_, r) = startLine { return r } else { return nil } }

    /// First value of a header, by any spelling (`l`, `Content-Length`, `content-length`).
    public func header(_ name: String) -> String? {
        let key = SIPHeader.canonicalKey(name)
        if let lines { return lines.matching(key).first.map(lines.value) }
        return given.first { $0.key == key }?.value
    }

    /// Every value of a header, comma-separated values split (for Via, Supported, Require…).
    public func headerValues(_ name: String) -> [String] {
        let key = SIPHeader.canonicalKey(name)
        if let lines { return lines.matching(key).flatMap { SIPMessage.splitCommas(lines.value($0)) } }
        return given.filter { $0.key == key }.flatMap { SIPMessage.splitCommas($0.value) }
    }

    public var callID: String? { transaction.callID }

    /// CSeq number and method; nil when absent or malformed.
    public var cseq: (number: UInt32, method: String)? { transaction.cseq }

    /// Content-Length as declared: `.absent`, `.invalid` (not a number), or the value.
    public var declaredContentLength: DeclaredLength {
        if let lines {
            // Over the value's bytes, which the parser trimmed of spaces and tabs already.
            guard let line = lines.first(SIPHeaderKey.contentLength) else { return .absent }
            return lines.withValue(line, Self.contentLength).map { .value($0) } ?? .invalid(lines.value(line))
        }
        guard let raw = header("content-length") else { return .absent }
        var t = raw.trimmingSpaces
        return t.withUTF8(Self.contentLength).map { .value($0) } ?? .invalid(raw)
    }

    /// A Content-Length value's number: digits only, nil otherwise. Hostile values (9999999999, or
    /// longer) must not trap: anything past 18 digits is huge.
    static func contentLength(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if b.count > 18 { return Int.max }
        return b.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    public var contentType: String? { transaction.contentType }

    /// The top Via's `branch` parameter: the RFC 3261 transaction key.
    public var topViaBranch: String? { transaction.topViaBranch }

    public var from: SIPURI? { header("from").flatMap(SIPURI.init) }
    public var to: SIPURI? { header("to").flatMap(SIPURI.init) }
    public var fromTag: String? { header("from").flatMap { SIPMessage.parameter("tag", in: SIPMessage.afterAddress($0)) } }
    public var toTag: String? { header("to").flatMap { SIPMessage.parameter("tag", in: SIPMessage.afterAddress($0)) } }
    public var requestSIPURI: SIPURI? { requestURI.flatMap(SIPURI.init) }
    /// `from?.user`, `to?.user` and `requestSIPURI?.user` without parsing the whole URIs: the
    /// analysis asks for them several times per request.
    public var fromUser: String? { user(ofHeader: "from") }
    public var toUser: String? { user(ofHeader: "to") }

    /// The URI user of a header's first value, read over the line's bytes (no string of the value).
    /// A value with bytes past ASCII goes through its string, as the string readers saw it.
    private func user(ofHeader key: String) -> String? {
        guard let lines else { return header(key).flatMap { SIPURI.user(of: $0) } ?? nil }
        guard let line = lines.matching(key).first else { return nil }
        return lines.read(line, bytes: { SIPURISpan($0).map { $0.user } ?? nil }, string: { SIPURI.user(of: $0) ?? nil })
    }
    public var requestUser: String? { requestURI.flatMap { SIPURI.user(of: $0) } ?? nil }

    /// `;name=value` from a header value's parameters (case-insensitive name).
    public static func parameter(_ name: String, in value: String) -> String? {
        var value = value
        return value.withUTF8 { parameter(name, bytes: $0) }
    }

    /// `parameter(_:in:)` over the value's bytes, without splitting it into arrays: parameter
    /// names are ASCII tokens, compared without case.
    static func parameter(_ name: String, bytes b: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let n = b.count
        var seenFirst = false
        while i < n {
            var e = i
            while e < n && b[e] != 0x3b { e += 1 }
            defer { i = e + 1 }
            if e == i { continue } // empty parts do not count (as `split` omits them)
            if !seenFirst { seenFirst = true; continue } // the value before the first `;`
            var eq = i
            while eq < e && b[eq] != 0x3d { eq += 1 }
            if eq == i {
                if let found = slowParameter(name, in: String(decoding: UnsafeBufferPointer(rebasing: b[i..<e]), as: UTF8.self)) { return found }
                continue
            }
            var ks = i, ke = eq
            while ks < ke && (b[ks] == 0x20 || b[ks] == 0x09) { ks += 1 }
            while ke > ks && (b[ke - 1] == 0x20 || b[ke - 1] == 0x09) { ke -= 1 }
            guard ke - ks == name.utf8.count else { continue }
            var same = true
            var k = ks
            for c in name.utf8 {
                if asciiLower(b[k]) != asciiLower(c) { same = false; break }
                k += 1
            }
            guard same else { continue }
            guard eq < e, eq + 1 < e else { return "" }
            var vs = eq + 1, ve = e
            while vs < ve && (b[vs] == 0x20 || b[vs] == 0x09) { vs += 1 }
            while ve > vs && (b[ve - 1] == 0x20 || b[ve - 1] == 0x09) { ve -= 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[vs..<ve]), as: UTF8.self)
        }
        return nil
    }

    /// The general rule for a part that begins with `=`, as `split` reads it: rare and odd.
    static func slowParameter(_ name: String, in part: String) -> String? {
        let wanted = Array(name.utf8)
        for part in ("x;" + part).utf8.split(separator: 0x3b).dropFirst() {
            let kv = part.split(separator: 0x3d, maxSplits: 1)
            guard let k = kv.first else { continue }
            let key = trimmedBytes(k)
            if key.count == wanted.count, zip(key, wanted).allSatisfy({ asciiLower($0) == asciiLower($1) }) {
                return kv.count > 1 ? String(decoding: trimmedBytes(kv[1]), as: UTF8.self) : ""
            }
        }
        return nil
    }

    @inline(__always) static func asciiLower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5a ? c | 0x20 : c }

    static func trimmedBytes(_ b: Substring.UTF8View) -> Substring.UTF8View {
        var a = b.startIndex, e = b.endIndex
        while a < e, b[a] == 0x20 || b[a] == 0x09 { a = b.index(after: a) }
        while e > a, b[b.index(before: e)] == 0x20 || b[b.index(before: e)] == 0x09 { e = b.index(before: e) }
        return b[a..<e]
    }

    /// The first of `splitCommas(value)`, or nil when it would be empty; without splitting the rest.
    static func firstCommaPart(_ value: String) -> String? {
        var inQuote = false, depth = 0
        let u = value.utf8
        for i in u.indices {
            switch u[i] {
            case 0x22: inQuote.toggle()
            case 0x3c where !inQuote: depth += 1
            case 0x3e where !inQuote: depth = max(0, depth - 1)
            case 0x2c where !inQuote && depth == 0:
                return String(Substring(u[u.startIndex..<i])).trimmingSpaces
            default: break
            }
        }
        let all = value.trimmingSpaces
        return all.isEmpty ? nil : all
    }

    /// The part of a From/To value after its address, where header parameters like `tag` live.
    static func afterAddress(_ value: String) -> String {
        if let gt = value.lastIndex(of: ">") { return "x" + value[value.index(after: gt)...] }
        return value
    }

    /// Splits at commas outside quotes and angle brackets (several Via entries in one header line).
    public static func splitCommas(_ value: String) -> [String] {
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
