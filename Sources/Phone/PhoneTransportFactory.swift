import Base
import NIOConcurrencyHelpers
import NIOCore
import Sender
import SIP

/// The phone's way out. Over UDP its requests (REGISTER, presses, INVITE) leave from the
/// listening socket, as a Snom's do, so the Via's sent-by and the Contact name the port where it
/// listens, and a registrar honouring `rport` sends its documents where the phone answers. The
/// answers come back to that socket and are handed to the sender here.
///
/// Over TCP and TLS the phone connects from an ephemeral port, as the seed's Snom does (its
/// REGISTER's `Via: SIP/2.0/TLS 172.20.25.101:2048;…;rport` is answered `rport=4392`), names its
/// listening port in Via and Contact, and keeps the connection: a registrar that reuses it
/// (RFC 5923, RFC 5626 outbound, Kamailio's connection reuse) sends its documents back on it, and
/// they are read by the same `PhoneStreamHandler` as the listening socket's connections, limits
/// and all, the answer going back on that connection.
///
/// Why not connect from the listening port itself (SO_REUSEPORT, as some phones do): Linux lets a
/// socket bind a port that a listener holds only when both set SO_REUSEPORT, and a listener with
/// SO_REUSEPORT lets any other process of the same user bind the same port and take a share of its
/// connections, and hides the "address in use" that tells a user a second phone was started on
/// the port. The port of a connection matters to nothing once it is reused, so reuse it is.
final class PhoneTransportFactory: SIPTransportFactory, Sendable {
    private let udp: Channel?
    private let core: PhoneCore?
    /// The listening address per stream transport: its port is what Via names on the phone's own
    /// connections, and its host (unless a wildcard) the address they leave from, as the UDP
    /// requests leave from the listening socket's.
    private let listening: [PhoneListenAddress.Transport: PhoneListenAddress]
    private let fallback: SIPTransportFactory
    private let transports = NIOLockedValueBox<[PhoneUDPTransport]>([])

    init(udp: Channel?, core: PhoneCore? = nil, listening: [PhoneListenAddress.Transport: PhoneListenAddress] = [:],
         fallback: SIPTransportFactory = NIOTransportFactory()) {
        self.udp = udp
        self.core = core
        self.listening = listening
        self.fallback = fallback
    }

    func makeTransport(to address: SocketAddress, target: SIPTarget, configuration: SenderConfiguration,
                       on loop: EventLoop, onEvent: @escaping @Sendable (TransportEvent) -> Void) -> EventLoopFuture<SIPTransport> {
        if target.transport != .udp, let core, let transport = PhoneListenAddress.Transport(rawValue: target.transport.rawValue) {
            var configuration = configuration
            if configuration.localAddress == nil, let host = listening[transport]?.host, !["0.0.0.0", "::", "[::]"].contains(host) {
                configuration.localAddress = host
            }
            return StreamTransport.connect(to: address, target: target, configuration: configuration, on: loop,
                                           sentByPort: listening[transport]?.port,
                                           inbound: { remote, tls, onEvent in
                                               PhoneStreamHandler(core: core, transport: transport,
                                                                  outbound: PhoneOutboundLink(remote: remote, tls: tls, onEvent: onEvent))
                                           },
                                           onEvent: onEvent)
        }
        guard target.transport == .udp, let udp else {
            return fallback.makeTransport(to: address, target: target, configuration: configuration, on: loop, onEvent: onEvent)
        }
        let transport = PhoneUDPTransport(channel: udp, remoteAddress: address, onEvent: onEvent)
        transports.withLockedValue { $0.append(transport) }
        return loop.makeSucceededFuture(transport)
    }

    /// A response that reached the listening socket: to the transport for its source address, or
    /// (a response from elsewhere than the request went) to every one; the sender matches by branch.
    func deliver(_ bytes: [UInt8], sourceHost: String, sourcePort: Int) {
        let all = transports.withLockedValue { $0 }.filter { !$0.isClosed }
        let matching = all.filter { $0.remote.port == UInt16(clamping: sourcePort) && $0.remoteHost == sourceHost }
        for t in matching.isEmpty ? all : matching { t.receive(bytes) }
    }
}

/// One remote reached from the phone's UDP listening socket. Closing it leaves the socket open
/// (it belongs to the phone).
final class PhoneUDPTransport: SIPTransport, Sendable {
    let kind = SIPTransportKind.udp
    let local: Endpoint
    let remote: Endpoint
    let remoteHost: String
    private let channel: Channel
    private let remoteAddress: SocketAddress
    private let onEvent: @Sendable (TransportEvent) -> Void
    private let closed = NIOLockedValueBox(false)

    init(channel: Channel, remoteAddress: SocketAddress, onEvent: @escaping @Sendable (TransportEvent) -> Void) {
        self.channel = channel
        self.remoteAddress = remoteAddress
        self.onEvent = onEvent
        local = Endpoint(channel.localAddress)
        remote = Endpoint(remoteAddress)
        remoteHost = remoteAddress.ipAddress ?? ""
    }

    var isClosed: Bool { closed.withLockedValue { $0 } }

    func write(_ bytes: [UInt8]) -> EventLoopFuture<Void> {
        guard !isClosed else { return channel.eventLoop.makeFailedFuture(SenderError.connectionClosed(address: remote.description)) }
        let remote = self.remote
        return channel.writeAndFlush(AddressedEnvelope(remoteAddress: remoteAddress, data: channel.allocator.buffer(bytes: bytes)))
            .flatMapErrorThrowing { throw SenderError.transport(address: remote.description, reason: "\($0)") }
    }

    func close() -> EventLoopFuture<Void> {
        closed.withLockedValue { $0 = true }
        return channel.eventLoop.makeSucceededVoidFuture()
    }

    /// One datagram, as the sender's own UDP transport reads it (RFC 3261 §18.3).
    func receive(_ bytes: [UInt8]) {
        onEvent(.received(bytes))
        guard let end = SIPHeaderParser.headerEnd(bytes, from: 0), var message = SIPHeaderParser.parse(bytes[0..<end]) else { return }
        var body = Array(bytes[end...])
        if let n = message.declaredContentLength.value, n < body.count { body = Array(body.prefix(n)) }
        message.body = body
        onEvent(.message(message))
    }
}
