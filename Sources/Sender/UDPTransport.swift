#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Base
import NIOCore
import NIOPosix

/// SIP over UDP on a connected datagram socket: connected, so the kernel hands back ICMP port
/// unreachable as ECONNREFUSED on the next read, which we report instead of waiting for Timer F.
final class UDPTransport: SIPTransport, Sendable {
    let kind = SIPTransportKind.udp
    let channel: Channel
    let local: Endpoint
    let remote: Endpoint
    private let remoteAddress: SocketAddress

    init(channel: Channel, remoteAddress: SocketAddress) {
        self.channel = channel
        self.remoteAddress = remoteAddress
        self.local = Endpoint(channel.localAddress)
        self.remote = Endpoint(remoteAddress)
    }

    func write(_ bytes: [UInt8]) -> EventLoopFuture<Void> {
        let buffer = channel.allocator.buffer(bytes: bytes)
        let remote = self.remote
        return channel.writeAndFlush(AddressedEnvelope(remoteAddress: remoteAddress, data: buffer))
            .flatMapErrorThrowing { throw SenderError.from($0, address: remote.description) }
    }

    func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }

    static func connect(to address: SocketAddress, configuration: SenderConfiguration, on loop: EventLoop,
                        onEvent: @escaping @Sendable (TransportEvent) -> Void) -> EventLoopFuture<SIPTransport> {
        let handler = UDPInboundHandler(remote: Endpoint(address).description, onEvent: onEvent)
        let bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            // NIO reads 2 KiB datagrams by default; SIP over UDP may be up to 64 KiB (fragmented).
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { $0.pipeline.addHandler(handler) }
        let localHost = configuration.localAddress ?? (address.protocol == .inet6 ? "::" : "0.0.0.0")
        let bindAddress: SocketAddress
        do {
            bindAddress = try SocketAddress(ipAddress: localHost, port: configuration.localPort ?? 0)
        } catch {
            return loop.makeFailedFuture(SenderError.bindFailed(address: "\(localHost):\(configuration.localPort ?? 0)",
                                                                reason: "not an IP address of this machine"))
        }
        return bootstrap.bind(to: bindAddress)
            .flatMapErrorThrowing { throw SenderError.bindFailed(address: Endpoint(bindAddress).description, reason: "\($0)") }
            .flatMap { channel in
                channel.connect(to: address).map { channel }.flatMapError { error in
                    channel.close(promise: nil)
                    return loop.makeFailedFuture(SenderError.from(error, address: Endpoint(address).description))
                }
            }
            .map { UDPTransport(channel: $0, remoteAddress: address) as SIPTransport }
    }
}

/// Reads datagrams, turning ECONNREFUSED (ICMP port unreachable) into a user-facing error.
// @unchecked: a channel handler runs on its channel's event loop only (NIO's contract).
private final class UDPInboundHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let remote: String
    let onEvent: @Sendable (TransportEvent) -> Void

    init(remote: String, onEvent: @escaping @Sendable (TransportEvent) -> Void) {
        self.remote = remote
        self.onEvent = onEvent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        onEvent(.received(bytes))
        if let message = DatagramMessageReader.read(bytes) { onEvent(.message(message)) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        onEvent(.failed(SenderError.from(error, address: remote, udp: true)))
    }
}

extension SenderError {
    /// Maps NIO and socket errors to what a user can act on.
    static func from(_ error: Error, address: String, udp: Bool = false) -> SenderError {
        if let e = error as? SenderError { return e }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return udp ? .portUnreachable(address: address) : .connectionRefused(address: address)
            case ETIMEDOUT: return .connectTimeout(address: address, seconds: 0)
            case EHOSTUNREACH: return .transport(address: address, reason: "host unreachable (no route, or ICMP host unreachable)")
            case ENETUNREACH: return .transport(address: address, reason: "network unreachable (no route to it from this machine)")
            case ECONNRESET: return .connectionClosed(address: address)
            default: return .transport(address: address, reason: "\(io)")
            }
        }
        if let c = error as? NIOConnectionError {
            if let first = c.connectionErrors.first { return from(first.error, address: address, udp: udp) }
            if c.dnsAError != nil || c.dnsAAAAError != nil { return .nameNotResolved(host: c.host, reason: "no address") }
        }
        if let c = error as? ChannelError {
            switch c {
            case .connectTimeout(let t): return .connectTimeout(address: address, seconds: Double(t.nanoseconds) / 1e9)
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed: return .connectionClosed(address: address)
            default: return .transport(address: address, reason: "\(c)")
            }
        }
        return .transport(address: address, reason: "\(error)")
    }
}
