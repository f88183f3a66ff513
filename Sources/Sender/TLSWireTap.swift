import Base
import Foundation
import NIOCore

/// Sits below TLS and reports the bytes that cross the socket (the encrypted records), so a
/// `--record` of a TLS exchange is what a capture on the wire would show, keys embedded beside it.
// @unchecked: a channel handler runs on its channel's event loop only (NIO's contract).
final class TLSWireTap: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let onEvent: @Sendable (TransportEvent) -> Void

    init(onEvent: @escaping @Sendable (TransportEvent) -> Void) { self.onEvent = onEvent }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        report(.received, unwrapInboundIn(data), context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        report(.sent, unwrapOutboundIn(data), context)
        context.write(data, promise: promise)
    }

    private func report(_ direction: SenderLogEntry.Direction, _ buffer: ByteBuffer, _ context: ChannelHandlerContext) {
        guard buffer.readableBytes > 0 else { return }
        onEvent(.wire(SenderLogEntry(direction: direction, time: Date().timeIntervalSince1970, transport: .tls,
                                     local: Endpoint(context.channel.localAddress), remote: Endpoint(context.channel.remoteAddress),
                                     bytes: Array(buffer.readableBytesView))))
    }
}
