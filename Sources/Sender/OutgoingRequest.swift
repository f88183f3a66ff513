import SIP

/// A request before the sender stamps it for one transaction.
///
/// The sender always writes its own Via, Call-ID, CSeq, From tag, Max-Forwards, Contact and
/// Content-Length (so a replayed request is a new transaction the target cannot confuse with
/// the captured one); headers given here with those names are dropped. Everything else in
/// `headers` is sent as given, in order.
public struct OutgoingRequest: Sendable {
    public var method: String
    /// Request-URI; the target's URI (`sip:44@host:port`) when nil.
    public var requestURI: String?
    /// From address without tag (`sip:pbx@10.0.0.1` or `"PBX" <sip:pbx@10.0.0.1>`); ours when nil.
    public var from: String?
    /// To address (`sip:44@host`); the target's address-of-record when nil.
    public var to: String?
    /// Contact address; `<sip:USER@local-address:port;transport=…>` when nil.
    public var contact: String?
    /// Other headers, sent as given (Content-Type, Subject, Proxy-Require, Supported, Expires…).
    public var headers: [SIPHeader]
    public var body: [UInt8]
    /// How Content-Length is written.
    public var contentLength: ContentLengthPolicy

    public init(method: String, requestURI: String? = nil, from: String? = nil, to: String? = nil, contact: String? = nil,
                headers: [SIPHeader] = [], body: [UInt8] = [], contentLength: ContentLengthPolicy = .computed) {
        self.method = method
        self.requestURI = requestURI
        self.from = from
        self.to = to
        self.contact = contact
        self.headers = headers
        self.body = body
        self.contentLength = contentLength
    }

    /// A MESSAGE carrying an x-buttons document (or any body with its content type).
    public static func message(body: [UInt8], contentType: String = "application/x-buttons",
                               from: String? = nil, headers: [SIPHeader] = []) -> OutgoingRequest {
        OutgoingRequest(method: "MESSAGE", from: from,
                        headers: [SIPHeader(name: "Content-Type", value: contentType)] + headers, body: body)
    }

    /// A captured request re-sent to the target: its method, From address, body bytes and every
    /// header except the transaction ones; Request-URI and To are rewritten for the target.
    /// The captured Content-Length is kept as written only with `keepContentLength`.
    public init(replaying message: SIPMessage, keepContentLength: Bool = false) {
        let from = message.header("from").map(OutgoingRequest.withoutTag)
        let kept = message.headers.filter { !OutgoingRequest.stampedKeys.contains($0.key) }
        var policy = ContentLengthPolicy.computed
        if keepContentLength {
            policy = message.header("content-length").map { .keep($0) } ?? .omit
        }
        self.init(method: message.method ?? "MESSAGE", from: from, headers: kept, body: message.body, contentLength: policy)
    }

    /// Headers the sender writes itself for every transaction.
    public static let stampedKeys: Set<String> = [
        "via", "call-id", "cseq", "from", "to", "contact", "max-forwards", "content-length", "route", "record-route",
        "user-agent",
    ]

    /// `"A" <sip:a@b>;tag=x;foo=1` → `"A" <sip:a@b>;foo=1`.
    static func withoutTag(_ value: String) -> String {
        let addressEnd = value.lastIndex(of: ">").map { value.index(after: $0) } ?? value.firstIndex(of: ";") ?? value.endIndex
        let address = value[..<addressEnd]
        let params = value[addressEnd...].split(separator: ";").filter {
            !$0.trimmingWhitespace.lowercased().hasPrefix("tag=") && !$0.trimmingWhitespace.isEmpty
        }
        return String(address) + params.map { ";" + $0.trimmingWhitespace }.joined()
    }
}

/// Content-Length: computed from the bytes sent (the default), a captured value kept as
/// written (to reproduce a sender's mistake), or left out (as a capture without one had it).
public enum ContentLengthPolicy: Hashable, Sendable {
    case computed
    case keep(String)
    case omit
}

extension Substring {
    var trimmingWhitespace: String { String(self).trimmingWhitespace }
}
