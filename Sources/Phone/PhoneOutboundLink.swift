import NIOConcurrencyHelpers
import NIOCore
import Sender
import SIP

/// What ties a TCP/TLS connection the phone opened to its sender: the bytes read (for the log),
/// the responses framed out of them, and how the connection ended, as `TransportEvent`s. The
/// requests on the same connection never come here: the phone answers them itself.
final class PhoneOutboundLink: Sendable {
    private let remote: String
    private let tls: Bool
    private let onEvent: @Sendable (TransportEvent) -> Void
    private let failedAlready = NIOLockedValueBox(false)

    init(remote: String, tls: Bool, onEvent: @escaping @Sendable (TransportEvent) -> Void) {
        self.remote = remote
        self.tls = tls
        self.onEvent = onEvent
    }

    func received(_ bytes: [UInt8]) { onEvent(.received(bytes)) }

    func response(_ message: SIPMessage) { onEvent(.message(message)) }

    func failed(_ error: Error, context: ChannelHandlerContext) {
        guard !failedAlready.withLockedValue({ let was = $0; $0 = true; return was }) else { return }
        onEvent(.failed(SenderError.from(streamError: error, address: remote, tls: tls, context: context)))
    }

    /// TLS closes the channel before it reports why (a failed handshake): let the error come first.
    func closed(on loop: EventLoop) {
        loop.execute {
            if !self.failedAlready.withLockedValue({ $0 }) { self.onEvent(.closed) }
        }
    }
}
