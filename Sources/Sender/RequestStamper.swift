import SIP

/// Turns an `OutgoingRequest` into the exact message for one transaction on one connection:
/// our Via (local address, port, transport) and Contact, fresh Call-ID/branch/tag/CSeq, the
/// target's Request-URI and To. Pure, so what `--dry-run` prints is what would be sent.
public enum RequestStamper {
    /// Where the request leaves from, as written in Via and Contact.
    public struct Local: Hashable, Sendable {
        public var host: String
        public var port: Int
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
        var hostForURI: String { host.contains(":") ? "[\(host)]" : host }
        /// Written instead of the port when it is only chosen at send time (`--dry-run`).
        public var portPlaceholder: String?
        var portText: String { portPlaceholder ?? String(port) }
    }

    public static func stamp(_ request: OutgoingRequest, target: SIPTarget, local: Local, identity: TransactionIdentity,
                             userAgent: String = "ButtonScope") -> (message: SIPMessage, bytes: [UInt8]) {
        let transport = target.transport
        let requestURI = request.requestURI ?? target.uri
        let aor = "sip:\(target.user.map { "\($0)@" } ?? "")\(target.hostForURI)"
        let to = request.to ?? "<\(aor)>"
        let from = request.from ?? "<sip:buttonscope@\(local.hostForURI)>"
        let fromUser = SIPURI(from)?.user ?? "buttonscope"
        let transportParam = transport == .udp ? "" : ";transport=\(transport.rawValue)"
        let contact = request.contact ?? "<sip:\(fromUser)@\(local.hostForURI):\(local.portText)\(transportParam)>"

        var headers: [SIPHeader] = [
            SIPHeader(name: "Via", value: "SIP/2.0/\(transport.viaToken) \(local.hostForURI):\(local.portText);branch=\(identity.branch);rport"),
            SIPHeader(name: "Max-Forwards", value: "70"),
            SIPHeader(name: "From", value: "\(from);tag=\(identity.fromTag)"),
            SIPHeader(name: "To", value: to),
            SIPHeader(name: "Call-ID", value: identity.callID),
            SIPHeader(name: "CSeq", value: "\(identity.cseq) \(request.method)"),
            SIPHeader(name: "Contact", value: contact),
            SIPHeader(name: "User-Agent", value: userAgent),
        ]
        headers += request.headers.filter { !OutgoingRequest.stampedKeys.contains($0.key) }
        let mode: SIPSerializer.ContentLength
        switch request.contentLength {
        case .computed:
            mode = .computed
        case .keep(let value):
            headers.append(SIPHeader(name: "Content-Length", value: value))
            mode = .asWritten
        case .omit:
            mode = .asWritten
        }
        var message = SIPMessage(startLine: .request(method: request.method, uri: requestURI), headers: headers, body: request.body)
        let bytes = SIPSerializer.serialize(message, contentLength: mode)
        if mode == .computed {
            message.headers.append(SIPHeader(name: "Content-Length", value: String(request.body.count)))
        }
        return (message, bytes)
    }
}
