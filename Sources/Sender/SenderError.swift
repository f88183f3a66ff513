import Base

/// What went wrong, in words a user can act on. Every case names the address involved.
public enum SenderError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidTarget(String)
    /// The name did not resolve (DNS / hosts file).
    case nameNotResolved(host: String, reason: String)
    /// TCP/TLS: the target answered the SYN with RST: nothing listens on that port.
    case connectionRefused(address: String)
    /// UDP: an ICMP port unreachable came back: nothing listens on that port.
    case portUnreachable(address: String)
    /// TCP/TLS connect (or handshake) took longer than allowed.
    case connectTimeout(address: String, seconds: Double)
    /// No final response within Timer F.
    case noAnswer(address: String, transport: SIPTransportKind, seconds: Double, transmissions: Int)
    /// Timer F ran out after provisional answers only (a UAS sending 100 Trying forever): the
    /// request arrived, but no final answer ever came.
    case onlyProvisional(address: String, transport: SIPTransportKind, seconds: Double, lastStatus: Int, count: Int)
    case tlsHandshakeFailed(address: String, reason: String)
    /// The CA file could not be read, or similar local TLS setup problems.
    case tlsSetup(String)
    case bindFailed(address: String, reason: String)
    /// The connection closed before the answer came.
    case connectionClosed(address: String)
    case transport(address: String, reason: String)
    case shutDown

    public var description: String {
        switch self {
        case .invalidTarget(let s): return s
        case .nameNotResolved(let host, let reason):
            return "\(host): the name does not resolve (\(reason)); check the spelling or use an IP address"
        case .connectionRefused(let a):
            return "\(a): connection refused: nothing listens on that TCP port (is SIP over TCP/TLS enabled on the phone, and the port right?)"
        case .portUnreachable(let a):
            return "\(a): ICMP port unreachable: nothing listens on that UDP port (wrong port, or the phone's SIP is off)"
        case .connectTimeout(let a, let s):
            return "\(a): no connection within \(DurationText.exact(s)) (host down, or a firewall drops the SYN)"
        case .noAnswer(let a, let t, let s, let n):
            let tries = t == .udp ? " after \(n) transmission\(n == 1 ? "" : "s")" : ""
            return "\(a): no answer within \(DurationText.exact(s)) (Timer F)\(tries) over \(t.rawValue.uppercased()): "
                + "the phone may drop it silently (\"Support broken Registrar\" off, or \"Filter packets from registrar\" on), or a firewall does"
        case .onlyProvisional(let a, let t, let s, let status, let n):
            return "\(a): only provisional answers within \(DurationText.exact(s)) (Timer F) over \(t.rawValue.uppercased()): "
                + "\(n) answer\(n == 1 ? "" : "s") below 200 (the last \(status)) and no final one: the request arrived, but was never accepted or rejected"
        case .tlsHandshakeFailed(let a, let r):
            return "\(a): TLS handshake failed: \(r)"
        case .tlsSetup(let r): return "TLS setup: \(r)"
        case .bindFailed(let a, let r): return "cannot use local address \(a): \(r)"
        case .connectionClosed(let a): return "\(a): the connection closed before an answer came"
        case .transport(let a, let r): return "\(a): \(r)"
        case .shutDown: return "the sender was shut down"
        }
    }

    /// What the user can give to get past this error, named by what it is: each front end spells
    /// it as its own option (the CLI's `OptionHint`), so no library text names a flag.
    public enum Remedy: Sendable, Equatable {
        /// The phone's certificate is not signed by a trusted CA: give its CA, or skip the check.
        case trustPhoneCertificate
        /// The certificate names the phone by host name and not by this IP address.
        case serverNameForAddress
        /// The certificate names another host than the one dialled.
        case serverName
    }

    public var remedy: Remedy? {
        guard case .tlsHandshakeFailed(_, let reason) = self else { return nil }
        if reason.contains(TLSReason.untrusted) { return .trustPhoneCertificate }
        if reason.contains(TLSReason.addressNotInCertificate) { return .serverNameForAddress }
        if reason.contains(TLSReason.hostNotInCertificate) { return .serverName }
        return nil
    }
}
