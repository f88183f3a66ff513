import Base
import NIOCore
import SIP

/// The seam between transaction logic and the wire (SwiftNIO style): a transaction asks a
/// transport to write bytes and hears back through `TransportEvent`s; it never learns whether
/// the bytes went by UDP, TCP or TLS beyond `kind.isReliable`.
public protocol SIPTransport: AnyObject, Sendable {
    var kind: SIPTransportKind { get }
    /// Our address as the peer sees it: where the bytes leave from (logs, recordings), and what
    /// Via and Contact name unless `sentBy` says otherwise.
    var local: Endpoint { get }
    var remote: Endpoint { get }
    /// The address written in Via's sent-by (and the default Contact): `local`, unless the
    /// transport speaks for a listener elsewhere (the emulated phone's TCP connection names the
    /// port it listens on, as the seed's Snom does: `Via: SIP/2.0/TLS 172.20.25.101:2048;…;rport`
    /// answered with `rport=4392`, the connection's own port).
    var sentBy: Endpoint { get }
    /// Writes one whole message. The future fails with a `SenderError`.
    func write(_ bytes: [UInt8]) -> EventLoopFuture<Void>
    func close() -> EventLoopFuture<Void>
}

extension SIPTransport {
    public var sentBy: Endpoint { local }
}

/// What a transport reports, on its event loop.
public enum TransportEvent: Sendable {
    /// Bytes arrived, exactly as read (one datagram, or one read from a stream): for the log.
    case received([UInt8])
    /// A complete SIP message was framed out of what arrived.
    case message(SIPMessage)
    /// The transport can no longer be used (refused, unreachable, reset, handshake failed).
    case failed(SenderError)
    /// The peer closed the connection.
    case closed
    /// TLS: bytes as they crossed the socket (encrypted records), for the recording.
    case wire(SenderLogEntry)
}

/// Builds the transport for one target. Separate from the transports so tests (or the phone)
/// can supply their own.
public protocol SIPTransportFactory: Sendable {
    func makeTransport(to address: SocketAddress, target: SIPTarget, configuration: SenderConfiguration,
                       on loop: EventLoop, onEvent: @escaping @Sendable (TransportEvent) -> Void) -> EventLoopFuture<SIPTransport>
}
