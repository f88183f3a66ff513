import Foundation
import NIOCore
import NIOPosix
import SIP
@testable import Sender
import TestSupport

/// A UDP peer on loopback that reads everything, remembers it, and answers requests with
/// `status` (or never, with nil): the phone that does not answer, or a minimal one that does.
final class LoopbackUDPPeer: @unchecked Sendable {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel: Channel
    private let recorder: Recorder
    var port: Int { channel.localAddress?.port ?? 0 }

    init(answer status: Int?) throws {
        let recorder = Recorder(status: status)
        self.recorder = recorder
        channel = try DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { $0.pipeline.addHandler(recorder) }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    var received: [[UInt8]] { recorder.lock.withLock { recorder.datagrams } }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Recorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let status: Int?
        let lock = NSLock()
        var datagrams: [[UInt8]] = []
        init(status: Int?) { self.status = status }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            lock.withLock { datagrams.append(bytes) }
            guard let status, let request = DatagramMessageReader.read(bytes), request.isRequest else { return }
            let copied = request.headers.filter { ["via", "from", "to", "call-id", "cseq"].contains($0.key) }
            let response = SIPMessage(startLine: .response(code: status, reason: status == 200 ? "OK" : "Not Found"), headers: copied)
            let out = SIPSerializer.serialize(response)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress,
                                                                    data: context.channel.allocator.buffer(bytes: out))), promise: nil)
        }
    }
}
