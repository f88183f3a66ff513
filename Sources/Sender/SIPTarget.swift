import SIP

/// How a request leaves: the `transport=` of a SIP URI. TLS is TCP with a handshake first.
public enum SIPTransportKind: String, Sendable, CaseIterable {
    case udp, tcp, tls

    /// Reliable transports get no retransmissions (RFC 3261 §17.1.2.2).
    public var isReliable: Bool { self != .udp }
    /// The token written in Via (`SIP/2.0/UDP`).
    public var viaToken: String { rawValue.uppercased() }
    public var defaultPort: Int { self == .tls ? 5061 : 5060 }
}

/// Where the sender sends: the one address the user named with `--to`, never one from a capture.
///
/// Parsed from `sip:44@192.0.2.10:5060;transport=tcp`; `sips:` means TLS. The port defaults to
/// 5060 (5061 for TLS). A bare `host[:port]` is accepted too.
public struct SIPTarget: Hashable, Sendable, CustomStringConvertible {
    public var user: String?
    public var host: String
    public var port: Int
    public var transport: SIPTransportKind

    public init(user: String?, host: String, port: Int? = nil, transport: SIPTransportKind = .udp) {
        self.user = user
        self.host = host
        self.transport = transport
        self.port = port ?? transport.defaultPort
    }

    /// Nil with a reason when the text is not a usable SIP target.
    public static func parse(_ text: String) -> Result<SIPTarget, SenderError> {
        let trimmed = text.trimmingWhitespace
        // `tel:…`, `http:…`: a scheme other than sip/sips (letters, then a colon not before a port).
        let head = trimmed.prefix { $0.isLetter }
        let afterHead = trimmed.dropFirst(head.count)
        if !head.isEmpty, afterHead.first == ":", !(afterHead.dropFirst().first?.isNumber ?? false),
           !["sip", "sips"].contains(head.lowercased()) {
            return .failure(.invalidTarget("\(text): only sip: and sips: targets can be sent to"))
        }
        let withScheme = trimmed.lowercased().hasPrefix("sip:") || trimmed.lowercased().hasPrefix("sips:") ? trimmed : "sip:" + trimmed
        guard let uri = SIPURI(withScheme), uri.scheme != "tel", !uri.host.isEmpty else {
            return .failure(.invalidTarget("\(text): not a SIP URI (expected sip:USER@HOST[:PORT][;transport=udp|tcp|tls])"))
        }
        var kind: SIPTransportKind = uri.scheme == "sips" ? .tls : .udp
        if let t = uri.parameters["transport"] {
            guard let k = SIPTransportKind(rawValue: t.lowercased()) else {
                return .failure(.invalidTarget("\(text): transport=\(t) is not one of udp, tcp, tls"))
            }
            kind = k
        }
        if let p = uri.port, !(1...65535).contains(p) {
            return .failure(.invalidTarget("\(text): port \(p) is out of range"))
        }
        // A port that is present but not a number: SIPURI leaves it nil; catch it here.
        let afterScheme = uri.raw.drop { $0 != ":" }.dropFirst()
        let hostPort = afterScheme.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first?
            .split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if uri.port == nil, !hostPort.hasPrefix("["), hostPort.contains(":") {
            return .failure(.invalidTarget("\(text): the port is not a number"))
        }
        return .success(SIPTarget(user: uri.user, host: uri.host, port: uri.port, transport: kind))
    }

    /// The host as written in a URI (IPv6 in brackets).
    public var hostForURI: String { host.contains(":") ? "[\(host)]" : host }

    /// `sip:44@192.0.2.10:5060;transport=tcp` (the Request-URI the sender writes).
    public var uri: String {
        let userPart = user.map { "\($0)@" } ?? ""
        let scheme = "sip"
        let param = transport == .udp ? "" : ";transport=\(transport.rawValue)"
        return "\(scheme):\(userPart)\(hostForURI):\(port)\(param)"
    }

    public var description: String { uri }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
