import Base
import Capture
import SIP

/// One contact a REGISTER bound, with the `line=` a registrar must send documents with and how
/// long the binding lasts.
public struct ContactBinding: Sendable {
    public var uri: SIPURI
    public var line: String?
    /// Seconds. The 200 OK's word wins over what the phone asked for (RFC 3261 §10.2.4).
    public var expires: Int
    /// Where `expires` came from: `200 contact`, `200 Expires`, `request contact`, `request Expires`, `default`.
    public var expiresSource: String
}

/// One REGISTER transaction of a phone, read for what matters to x-buttons.
public struct RegisterRecord: Sendable {
    public var user: String
    public var exchange: Exchange
    /// The contacts the phone asked to bind (the 200's expiry applied).
    public var contacts: [ContactBinding]
    /// The phone said `Supported: buttons`: it wants documents.
    public var supportedButtons: Bool
    /// The registrar's 2xx said `Require: buttons` (or the spec's "Required: buttons").
    public var requireButtons: Bool
    /// The header name the 2xx used for it, as written.
    public var requireSpelling: String?

    public var status: Int? { exchange.finalStatus }
    public var succeeded: Bool { (status ?? 0) >= 200 && (status ?? 0) < 300 }
    /// 401/407: the registrar asked for credentials; the phone normally retries at once.
    public var isChallenge: Bool { status == 401 || status == 407 }
    /// Every binding expires at once (`Expires: 0`, `Contact: *`).
    public var isDeregistration: Bool { !contacts.isEmpty && contacts.allSatisfy { $0.expires == 0 } }
    /// From the final answer (or the request, when unanswered).
    public var start: Timestamp { exchange.finalResponse?.time ?? exchange.request.time }
    /// When the longest binding runs out; nil unless it succeeded.
    public var end: Timestamp? {
        guard succeeded, let longest = contacts.map(\.expires).max() else { return nil }
        return Timestamp(seconds: start.seconds &+ Int64(longest), nanoseconds: start.nanoseconds)
    }
    public var frame: Int { exchange.request.frame }

    /// Reads a REGISTER exchange; nil for anything else.
    public init?(_ e: Exchange) {
        let request = e.request.message
        guard e.method == "REGISTER", request.method?.tokenUppercased == "REGISTER",
              let user = request.toUser ?? request.fromUser else { return nil }
        self.user = user
        self.exchange = e
        supportedButtons = Self.hasToken("buttons", in: request.headerValues("supported"))
        let ok = e.responses.first { $0.status >= 200 && $0.status < 300 }?.message.message
        let spelling = ["require", "required"].first { Self.hasToken("buttons", in: ok?.headerValues($0) ?? []) }
        requireButtons = spelling != nil
        requireSpelling = spelling.flatMap { name in ok?.headers.first { $0.key == name }?.name }
        contacts = Self.bindings(request: request, answer: ok)
    }

    static func hasToken(_ token: String, in values: [String]) -> Bool {
        values.contains { $0.trimmedSpaces.lowercased() == token }
    }

    static func bindings(request: SIPMessage, answer: SIPMessage?) -> [ContactBinding] {
        let headerExpires = request.header("expires").flatMap { Int($0.trimmedSpaces) }
        let answerExpires = answer?.header("expires").flatMap { Int($0.trimmedSpaces) }
        let answered = (answer?.headerValues("contact") ?? []).compactMap { v in SIPURI(v).map { ($0, Self.expiresParameter(v)) } }
        var out: [ContactBinding] = []
        for value in request.headerValues("contact") {
            if value.trimmedSpaces == "*" {
                if let any = out.first?.uri ?? SIPURI("sip:*@*") {
                    out.append(ContactBinding(uri: any, line: nil, expires: 0, expiresSource: "Contact: *"))
                }
                continue
            }
            guard let uri = SIPURI(value) else { continue }
            let own = Self.expiresParameter(value)
            let echoed = answered.first { Self.sameBinding($0.0, uri) }
            let (expires, source): (Int, String)
            if let e = echoed?.1 { (expires, source) = (e, "200 contact") }
            else if echoed != nil, let e = answerExpires { (expires, source) = (e, "200 Expires") }
            else if let e = own { (expires, source) = (e, "request contact") }
            else if let e = headerExpires { (expires, source) = (e, "request Expires") }
            else { (expires, source) = (3600, "default") }
            out.append(ContactBinding(uri: uri, line: uri.parameters["line"], expires: max(0, min(expires, 1 << 30)),
                                      expiresSource: source))
        }
        return out
    }

    /// `expires=` among a Contact value's header parameters (after the `>`).
    static func expiresParameter(_ value: String) -> Int? {
        guard let gt = value.lastIndex(of: ">") else {
            // No angle brackets: URI parameters and header parameters run together.
            return SIPMessage.parameter("expires", in: value).flatMap { Int($0) }
        }
        return SIPMessage.parameter("expires", in: "x" + value[value.index(after: gt)...]).flatMap { Int($0) }
    }

    static func sameBinding(_ a: SIPURI, _ b: SIPURI) -> Bool {
        a.user == b.user && a.host.lowercased() == b.host.lowercased() && (a.port ?? 5060) == (b.port ?? 5060)
    }
}

/// What a phone's registration was at one moment.
public enum RegistrationStatus: Sendable {
    /// No REGISTER from this user in the capture at all.
    case neverSeen
    /// The first REGISTER came only after the moment asked about.
    case notYet(first: RegisterRecord)
    case live(RegisterRecord)
    case expired(RegisterRecord, at: Timestamp)
    case deregistered(RegisterRecord)
    /// REGISTERs were sent but none succeeded (the last one is given).
    case failed(RegisterRecord)
}

/// Every phone's REGISTER transactions, and the registration live at any moment.
///
/// Fed in request frame order. With `keepLast`, only a phone's last that many records are kept
/// (plus its first, and the last successful one that fell out): enough to say what held at the
/// time of each new document as the capture streams by, however many times a phone re-registered.
public struct Registrations: Sendable {
    /// By user, in request frame order: every record, or the last `keepLast`.
    public private(set) var byUser: [String: [RegisterRecord]] = [:]
    public let keepLast: Int?
    private var firstByUser: [String: RegisterRecord] = [:]
    private var countByUser: [String: Int] = [:]
    /// The latest successful record no longer in `byUser`: it may still be the live one.
    private var lastSucceededDropped: [String: RegisterRecord] = [:]

    public init(keepLast: Int? = nil) {
        self.keepLast = keepLast.map { max(1, $0) }
    }

    public init(exchanges: [Exchange]) {
        self.init()
        for e in exchanges { add(e) }
    }

    /// Reads a REGISTER exchange (anything else is ignored) and returns its record.
    @discardableResult
    public mutating func add(_ e: Exchange) -> RegisterRecord? {
        guard let r = RegisterRecord(e) else { return nil }
        add(r)
        return r
    }

    public mutating func add(_ r: RegisterRecord) {
        if firstByUser[r.user] == nil { firstByUser[r.user] = r }
        countByUser[r.user, default: 0] += 1
        byUser[r.user, default: []].append(r)
        if let keepLast, let list = byUser[r.user], list.count > keepLast {
            if let old = list.first, old.succeeded { lastSucceededDropped[r.user] = old }
            byUser[r.user] = Array(list.dropFirst())
        }
    }

    public var users: [String] { byUser.keys.sorted() }

    /// The records kept: all, or the last `keepLast`.
    public func records(of user: String) -> [RegisterRecord] { byUser[user] ?? [] }

    /// The first REGISTER of `user` in the capture.
    public func first(of user: String) -> RegisterRecord? { firstByUser[user] }

    /// How many REGISTER transactions `user` made, kept or not.
    public func count(of user: String) -> Int { countByUser[user] ?? 0 }

    /// The registration that held at `time`, or why none did.
    public func status(of user: String, at time: Timestamp) -> RegistrationStatus {
        guard let first = first(of: user) else { return .neverSeen }
        let all = (lastSucceededDropped[user].map { [$0] } ?? []) + records(of: user)
        let before = all.filter { $0.exchange.request.time <= time }
        guard let latest = before.last else { return .notYet(first: first) }
        guard let last = before.last(where: { $0.succeeded && $0.start <= time }) else {
            return .failed(latest)
        }
        if last.isDeregistration { return .deregistered(last) }
        if let end = last.end, end <= time { return .expired(last, at: end) }
        return .live(last)
    }

    /// The registration live at `time`, if one was.
    public func live(_ user: String, at time: Timestamp) -> RegisterRecord? {
        if case .live(let r) = status(of: user, at: time) { return r }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (header values, tokens).
    var trimmedSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
