import NIOCore

/// The real transports: UDP, TCP and TLS sockets through SwiftNIO.
public struct NIOTransportFactory: SIPTransportFactory {
    public init() {}

    public func makeTransport(to address: SocketAddress, target: SIPTarget, configuration: SenderConfiguration,
                              on loop: EventLoop, onEvent: @escaping @Sendable (TransportEvent) -> Void) -> EventLoopFuture<SIPTransport> {
        switch target.transport {
        case .udp:
            return UDPTransport.connect(to: address, configuration: configuration, on: loop, onEvent: onEvent)
        case .tcp, .tls:
            return StreamTransport.connect(to: address, target: target, configuration: configuration, on: loop, onEvent: onEvent)
        }
    }
}
