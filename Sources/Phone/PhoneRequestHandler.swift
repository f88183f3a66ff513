import Buttons
import SIP

/// What a Snom answers to one request, decided without I/O: the response, and the x-buttons
/// document to apply when the request carried one and was accepted.
public struct PhoneRequestHandler: Sendable {
    public struct Answer: Sendable {
        /// Nil when no response is due (ACK, or a request without the headers a response needs).
        public var response: SIPMessage?
        public var document: ButtonsDocument?
    }

    /// The phone's identity: the Request-URI user a MESSAGE must carry to get a 200.
    public var user: String
    /// Put into every To header the phone adds a tag to: one dialog-less UAS, one tag is enough.
    public var toTag: String
    public var userAgent = "ButtonScope emulated Snom"

    public static let allowed = ["MESSAGE", "OPTIONS"]
    /// Methods a real phone knows but this emulator does not take: 405 with Allow, not 501.
    static let known: Set<String> = ["INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "SUBSCRIBE", "NOTIFY", "INFO",
                                     "UPDATE", "PRACK", "REFER", "PUBLISH"]

    public init(user: String, toTag: String) {
        self.user = user
        self.toTag = toTag
    }

    /// `body` is the effective body (already cut by Content-Length); `source` the packet's sender.
    public func answer(_ request: SIPMessage, body: [UInt8], sourceHost: String, sourcePort: Int) -> Answer {
        guard let method = request.method?.uppercased(), method != "ACK" else { return Answer(response: nil, document: nil) }
        guard request.header("via") != nil else { return Answer(response: nil, document: nil) }
        guard request.callID != nil, request.cseq != nil, request.from != nil, request.header("to") != nil else {
            return Answer(response: response(to: request, 400, "Bad Request", sourceHost: sourceHost, sourcePort: sourcePort), document: nil)
        }
        switch method {
        case "MESSAGE":
            guard request.requestUser == user else {
                return Answer(response: response(to: request, 404, "Not Found", sourceHost: sourceHost, sourcePort: sourcePort), document: nil)
            }
            let isButtons = request.contentType.map(ButtonsDocument.isButtonsContentType) ?? false
            return Answer(response: response(to: request, 200, "OK", sourceHost: sourceHost, sourcePort: sourcePort),
                          document: isButtons ? ButtonsDocument(decoding: body) : nil)
        case "OPTIONS":
            var r = response(to: request, 200, "OK", sourceHost: sourceHost, sourcePort: sourcePort)
            r.headers.insert(contentsOf: [SIPHeader(name: "Allow", value: PhoneRequestHandler.allowed.joined(separator: ", ")),
                                          SIPHeader(name: "Accept", value: ButtonsDocument.contentType + ", text/plain"),
                                          SIPHeader(name: "Supported", value: "buttons")], at: r.headers.count - 1)
            return Answer(response: r, document: nil)
        default:
            let known = PhoneRequestHandler.known.contains(method)
            var r = response(to: request, known ? 405 : 501, known ? "Method Not Allowed" : "Not Implemented",
                             sourceHost: sourceHost, sourcePort: sourcePort)
            r.headers.insert(SIPHeader(name: "Allow", value: PhoneRequestHandler.allowed.joined(separator: ", ")), at: r.headers.count - 1)
            return Answer(response: r, document: nil)
        }
    }

    /// RFC 3261 §8.2.6: Via (all, in order), From, To (+ our tag), Call-ID, CSeq copied; the top Via
    /// gets `received` when the packet came from elsewhere than its sent-by, and `rport` filled in
    /// when asked for (RFC 3581), as a Snom does. Empty body.
    func response(to request: SIPMessage, _ code: Int, _ reason: String, sourceHost: String, sourcePort: Int) -> SIPMessage {
        var headers: [SIPHeader] = []
        var first = true
        for header in request.headers where header.key == "via" {
            for value in SIPMessage.splitCommas(header.value) where !value.isEmpty {
                headers.append(SIPHeader(name: "Via", value: first ? PhoneRequestHandler.stamp(via: value, host: sourceHost, port: sourcePort) : value))
                first = false
            }
        }
        for header in request.headers where header.key == "from" { headers.append(SIPHeader(name: "From", value: header.value)) }
        if let to = request.header("to") {
            headers.append(SIPHeader(name: "To", value: request.toTag == nil ? to + ";tag=" + toTag : to))
        }
        for key in ["call-id", "cseq"] {
            if let h = request.headers.first(where: { $0.key == key }) {
                headers.append(SIPHeader(name: key == "cseq" ? "CSeq" : "Call-ID", value: h.value))
            }
        }
        headers.append(SIPHeader(name: "Server", value: userAgent))
        headers.append(SIPHeader(name: "Content-Length", value: "0"))
        return SIPMessage(startLine: .response(code: code, reason: reason), headers: headers)
    }

    /// Adds `received=HOST` when the sent-by host is not the source address, and the source port
    /// to a bare `rport`.
    static func stamp(via: String, host: String, port: Int) -> String {
        var parts = via.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard let sentProtocolAndBy = parts.first else { return via }
        let sentBy = sentProtocolAndBy.split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
        var sentHost = sentBy
        if sentHost.hasPrefix("["), let close = sentHost.firstIndex(of: "]") {
            sentHost = String(sentHost[sentHost.index(after: sentHost.startIndex)..<close])
        } else if let colon = sentHost.lastIndex(of: ":"), sentHost.filter({ $0 == ":" }).count == 1 {
            sentHost = String(sentHost[..<colon])
        }
        var sawReceived = false
        for i in parts.indices.dropFirst() {
            let name = parts[i].split(separator: "=", maxSplits: 1).first.map { $0.lowercased().filter { $0 != " " } } ?? ""
            if name == "rport", !parts[i].contains("=") { parts[i] = "rport=\(port)" }
            if name == "received" { sawReceived = true }
        }
        if !sawReceived, sentHost.lowercased() != host.lowercased() { parts.append("received=\(host)") }
        return parts.joined(separator: ";")
    }
}

