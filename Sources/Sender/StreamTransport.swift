import Base
import NIOCore
import NIOPosix
import NIOSSL
import SIP

/// SIP over TCP, or over TLS when a TLS handler sits below the framing. The connection stays
/// open and is reused for later requests to the same target; messages coming back are cut out
/// of the stream by Content-Length (the same framer the capture analysis uses).
package final class StreamTransport: SIPTransport, Sendable {
    package let kind: SIPTransportKind
    let channel: Channel
    package let local: Endpoint
    package let remote: Endpoint
    package let sentBy: Endpoint

    /// `sentByPort`: the port Via names when it is not the connection's own (the phone's listener).
    init(kind: SIPTransportKind, channel: Channel, sentByPort: Int? = nil) {
        self.kind = kind
        self.channel = channel
        self.local = Endpoint(channel.localAddress)
        self.remote = Endpoint(channel.remoteAddress)
        var sentBy = local
        if let sentByPort { sentBy.port = UInt16(clamping: sentByPort) }
        self.sentBy = sentBy
    }

    /// What reads a connection: frames what arrives and reports it as `TransportEvent`s (given
    /// the remote as text and whether it is TLS). The sender's own reads only answers; the
    /// emulated phone's also answers the requests a registrar sends back on the connection.
    package typealias InboundHandlerFactory = @Sendable (_ remote: String, _ tls: Bool,
                                                          _ onEvent: @escaping @Sendable (TransportEvent) -> Void) -> ChannelHandler

    package func write(_ bytes: [UInt8]) -> EventLoopFuture<Void> {
        let remote = self.remote.description
        let tls = kind == .tls
        return channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
            .flatMapErrorThrowing { throw SenderError.from(streamError: $0, address: remote, tls: tls) }
    }

    package func close() -> EventLoopFuture<Void> {
        channel.close().recover { _ in }
    }

    package static func connect(to address: SocketAddress, target: SIPTarget, configuration: SenderConfiguration, on loop: EventLoop,
                                sentByPort: Int? = nil, inbound: InboundHandlerFactory? = nil,
                                onEvent: @escaping @Sendable (TransportEvent) -> Void) -> EventLoopFuture<SIPTransport> {
        let tls = target.transport == .tls
        var sslContext: NIOSSLContext?
        if tls {
            do {
                sslContext = try TLSClientContext.make(configuration.tls)
            } catch let e as SenderError {
                return loop.makeFailedFuture(e)
            } catch {
                return loop.makeFailedFuture(SenderError.tlsSetup("\(error)"))
            }
        }
        let serverName = configuration.tls.serverName ?? (Endpoint.parseIP(target.host) == nil ? target.host : nil)
        let remote = Endpoint(address).description
        var bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(configuration.connectTimeout * 1000)))
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                let framing: ChannelHandler = inbound?(remote, tls, onEvent) ?? StreamInboundHandler(remote: remote, tls: tls, onEvent: onEvent)
                do {
                    if let sslContext {
                        // Below TLS: the records as they cross the socket, for --record.
                        if configuration.recordsTLSWire { try channel.pipeline.syncOperations.addHandler(TLSWireTap(onEvent: onEvent)) }
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(framing)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(SenderError.tlsSetup("\(error)"))
                }
            }
        if configuration.localAddress != nil || configuration.localPort != nil {
            let host = configuration.localAddress ?? (address.protocol == .inet6 ? "::" : "0.0.0.0")
            guard let local = try? SocketAddress(ipAddress: host, port: configuration.localPort ?? 0) else {
                return loop.makeFailedFuture(SenderError.bindFailed(address: host, reason: "not an IP address of this machine"))
            }
            bootstrap = bootstrap.bind(to: local)
        }
        let seconds = configuration.connectTimeout
        return bootstrap.connect(to: address)
            .flatMapErrorThrowing { error in
                if case ChannelError.connectTimeout = error { throw SenderError.connectTimeout(address: remote, seconds: seconds) }
                throw SenderError.from(streamError: error, address: remote, tls: tls)
            }
            .map { StreamTransport(kind: target.transport, channel: $0, sentByPort: sentByPort) as SIPTransport }
    }
}

/// Frames the incoming stream into SIP messages and reports the connection's fate.
// @unchecked: a channel handler runs on its channel's event loop only (NIO's contract), so
// `framer` and `failed` are never touched from two threads.
private final class StreamInboundHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    let remote: String
    let tls: Bool
    let onEvent: @Sendable (TransportEvent) -> Void
    private var framer = SIPStreamFramer()
    private var failed = false

    init(remote: String, tls: Bool, onEvent: @escaping @Sendable (TransportEvent) -> Void) {
        self.remote = remote
        self.tls = tls
        self.onEvent = onEvent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(unwrapInboundIn(data).readableBytesView)
        onEvent(.received(bytes))
        let onEvent = self.onEvent
        framer.append(bytes[...], frame: 0, time: Timestamp(seconds: 0, nanoseconds: 0)) { output in
            if case .message(let framed) = output { onEvent(.message(framed.message)) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard !failed else { return }
        failed = true
        onEvent(.failed(SenderError.from(streamError: error, address: remote, tls: tls, context: context)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // TLS closes the channel before it reports why (a failed handshake): let the error come first.
        context.eventLoop.execute {
            if !self.failed { self.onEvent(.closed) }
        }
        context.fireChannelInactive()
    }
}

extension SenderError {
    /// What broke a connection, in words: as `from(streamError:…)`, and an out-of-date peer
    /// certificate named as such (BoringSSL says only "verify failed").
    package static func from(streamError error: Error, address remote: String, tls: Bool, context: ChannelHandlerContext) -> SenderError {
        let failure = SenderError.from(streamError: error, address: remote, tls: tls)
        if case .tlsHandshakeFailed = failure, "\(error)".contains("CERTIFICATE_VERIFY_FAILED"),
           let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate,
           let outOfDate = CertificateValidity.problem(certificate) {
            return .tlsHandshakeFailed(address: remote, reason: outOfDate)
        }
        return failure
    }

    /// TLS errors (handshake, certificate) name their reason; the rest map as for UDP.
    static func from(streamError error: Error, address: String, tls: Bool) -> SenderError {
        if tls {
            if let e = error as? NIOSSLError {
                switch e {
                case .handshakeFailed(let reason): return .tlsHandshakeFailed(address: address, reason: TLSReason.explain("\(reason)"))
                case .uncleanShutdown: return .connectionClosed(address: address)
                default: return .tlsHandshakeFailed(address: address, reason: "\(e)")
                }
            }
            if error is NIOSSLExtraError || error is BoringSSLError {
                return .tlsHandshakeFailed(address: address, reason: TLSReason.explain("\(error)"))
            }
        }
        return from(error, address: address)
    }
}

/// BoringSSL's reasons in words, with the code kept for searching.
enum TLSReason {
    static let untrusted = "the phone's certificate is not signed by a CA we trust (CERTIFICATE_VERIFY_FAILED)"
    static let addressNotInCertificate = "the certificate is signed by a trusted CA but does not hold this IP address"
    static let hostNotInCertificate = "the certificate does not name this host"

    static func explain(_ raw: String) -> String {
        if raw.contains("CERTIFICATE_VERIFY_FAILED") { return untrusted }
        if raw.contains("failedToValidateHostname") {
            return raw.contains("<none>") ? addressNotInCertificate : hostNotInCertificate
        }
        if raw.contains("WRONG_VERSION_NUMBER") || raw.contains("PACKET_LENGTH_TOO_LONG") {
            return "the peer does not speak TLS on this port (WRONG_VERSION_NUMBER)"
        }
        return raw
    }
}
