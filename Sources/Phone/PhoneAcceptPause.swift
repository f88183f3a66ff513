#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// At the file-descriptor limit accept fails (EMFILE) and the waiting connection stays in the
/// kernel's queue, so the listening socket stays readable: stop watching it for `pause`, then try
/// again, and say so once per pause.
///
/// Why not NIO's `AcceptBackoffHandler`: it only holds back the channel's *next* `read()`, and
/// NIO's server channel asks for none after a failed accept (its read stays pending until an
/// accept succeeds), so the socket stays registered and the event loop spins on
/// `accept4 = EMFILE` (strace: ~3,700 a second under `prlimit --nofile=64`, a core busy until the
/// clients leave). Turning `autoRead` off takes the socket out of the selector; on again re-arms it.
final class PhoneAcceptPause: ChannelInboundHandler {
    typealias InboundIn = Channel

    private let pause: TimeAmount
    private let report: (String) -> Void
    private var paused = false

    init(pause: TimeAmount, report: @escaping (String) -> Void) {
        self.pause = pause
        self.report = report
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let io = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(io.errnoCode) else {
            context.fireErrorCaught(error)
            return
        }
        guard !paused, let options = context.channel.syncOptions else { return }
        paused = true
        try? options.setOption(ChannelOptions.autoRead, value: false)
        report("cannot accept a connection (\(String(cString: strerror(io.errnoCode)))): accepting paused for \(pause.nanoseconds / 1_000_000) ms; the connections already open and UDP are still answered")
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: pause) {
            self.paused = false
            try? channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
        }
    }
}
