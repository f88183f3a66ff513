/// How a message travelled. `tcp` and `tls` are byte streams (Content-Length frames messages);
/// `udp`, `ws` (RFC 7118, one SIP message per WebSocket message) and `sctp` (one per user message)
/// carry one message per unit, so a missing Content-Length means "the rest of the unit".
public enum TransportKind: String, Sendable, Codable {
    case udp, tcp, tls, ws, sctp

    /// A byte stream: Content-Length is mandatory and cuts messages apart (RFC 3261 §18.3).
    public var isStream: Bool { self == .tcp || self == .tls }
}
