import Base
import NIOCore
import SIP

/// One datagram is one request. RFC 3261 §18.3: without Content-Length the body is the rest of
/// the datagram; a request shorter than its Content-Length is answered 400 (and not applied).
final class PhoneDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let core: PhoneCore

    init(core: PhoneCore) { self.core = core }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let bytes = Array(envelope.data.readableBytesView)
        let host = envelope.remoteAddress.ipAddress ?? "?"
        let port = envelope.remoteAddress.port ?? 0
        let from = "\(host):\(port)"
        // Keep-alives (CRLF) and empty datagrams need no answer.
        guard bytes.contains(where: { $0 != 0x0d && $0 != 0x0a }) else { return }
        guard let headerEnd = SIPHeaderParser.headerEnd(bytes, from: 0),
              let parsed = SIPHeaderParser.parse(bytes[0..<headerEnd]) else {
            core.drop("a datagram that is not a complete SIP message (\(bytes.count) bytes)", from: from)
            return
        }
        guard parsed.isRequest else {
            core.response(bytes, sourceHost: host, sourcePort: port)
            return
        }
        let body = Array(bytes[headerEnd...])
        var effective = body
        switch parsed.declaredContentLength {
        case .value(let n) where n > body.count:
            // RFC 3261 §18.3: "If the message is a request, the element SHOULD generate a 400 (Bad Request) response."
            let why = "Content-Length \(n) but only \(body.count) body bytes in the datagram"
            if let answer = core.reject(parsed, status: 400, reason: "Bad Request", why: why, sourceHost: host, sourcePort: port, transport: .udp) {
                var buffer = context.channel.allocator.buffer(capacity: answer.count)
                buffer.writeBytes(answer)
                context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
            }
            return
        case .value(let n):
            effective = Array(body.prefix(n))
        case .invalid(let raw):
            core.drop("\(parsed.method ?? "request"): Content-Length \"\(raw)\" is not a number", from: from)
            return
        case .absent:
            break
        }
        var message = parsed
        message.body = body
        guard let answer = core.receive(message, body: effective, sourceHost: host, sourcePort: port, transport: .udp) else { return }
        var buffer = context.channel.allocator.buffer(capacity: answer.count)
        buffer.writeBytes(answer)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP port unreachable for an answer and the like: the socket stays usable.
        core.drop("UDP error: \(error)", from: "-")
    }
}

/// A TCP or TLS connection: requests framed by Content-Length (mandatory on streams), answers
/// written back on the same connection. The same handler reads the connections the phone opens
/// itself (to its registrar, with an `outbound` link): a request coming back on one of those is
/// answered exactly as on the listening socket, and the responses go to the phone's sender.
final class PhoneStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: PhoneCore
    private let transport: PhoneListenAddress.Transport
    private var framer = SIPStreamFramer()
    private var host = "?"
    private var port = 0
    /// Counted in the phone's open connections (false when refused at the limit, and for its own).
    private var counted = false
    /// Reads what arrives (false when refused at the limit).
    private var reading = false
    /// Set on a connection the phone opened: where its responses and its fate are reported.
    private let outbound: PhoneOutboundLink?
    /// The framer's footprint as last reported to the phone's budget for partial messages.
    private var held = 0

    init(core: PhoneCore, transport: PhoneListenAddress.Transport, outbound: PhoneOutboundLink? = nil) {
        self.core = core
        self.transport = transport
        self.outbound = outbound
        framer.maxBodyBytes = core.limits.maxBodyBytes
        framer.maxHeaderBytes = core.limits.maxHeaderBytes
    }

    func channelActive(context: ChannelHandlerContext) {
        host = context.remoteAddress?.ipAddress ?? "?"
        port = context.remoteAddress?.port ?? 0
        if outbound != nil {
            // The phone's own connection: not one of the `maxConnections` it accepts, and kept
            // while idle, as a phone keeps the flow its registration went out on (RFC 5626).
            reading = true
            context.fireChannelActive()
            return
        }
        guard core.openConnection() else {
            core.drop("a \(transport.rawValue.uppercased()) connection beyond the \(core.limits.maxConnections) open at once: closed", from: "\(host):\(port)")
            context.close(promise: nil)
            return
        }
        counted = true
        reading = true
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            core.drop("a \(transport.rawValue.uppercased()) connection idle for \(core.limits.idleTimeout.nanoseconds / 1_000_000_000) s: closed", from: "\(host):\(port)")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard reading else { return }
        let buffer = unwrapInboundIn(data)
        let bytes = Array(buffer.readableBytesView)
        outbound?.received(bytes)
        var outputs: [SIPStreamFramer.Output] = []
        framer.append(bytes[...], frame: 0, time: Timestamp(seconds: 0, nanoseconds: 0)) { outputs.append($0) }
        let footprint = framer.footprint
        let withinBudget = core.holdPartial(from: held, to: footprint)
        held = footprint
        guard withinBudget else {
            core.drop("partial messages of all connections hold more than \(core.limits.maxPartialBytesTotal >> 20) MiB: this \(transport.rawValue.uppercased()) connection (\(footprint) bytes) closed", from: "\(host):\(port)")
            context.close(promise: nil)
            return
        }
        if framer.kind == .notSIP || framer.kind == .tls {
            core.drop("a \(transport.rawValue.uppercased()) connection that does not speak SIP\(framer.kind == .tls ? " (TLS sent to a plain TCP port?)" : ""): closed", from: "\(host):\(port)")
            context.close(promise: nil)
            return
        }
        for output in outputs {
            guard case .message(let framed) = output else { continue }
            guard framed.message.isRequest else {
                outbound?.response(framed.message)
                continue
            }
            guard framed.message.declaredContentLength.value != nil else {
                core.drop("\(framed.message.method ?? "request") without a usable Content-Length over \(transport.rawValue.uppercased()) (RFC 3261 §20.14 makes it mandatory)", from: "\(host):\(port)")
                continue
            }
            guard let answer = core.receive(framed.message, body: framed.effectiveBody, sourceHost: host, sourcePort: port,
                                            transport: transport) else { continue }
            var out = context.channel.allocator.buffer(capacity: answer.count)
            out.writeBytes(answer)
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            if let n = framed.message.declaredContentLength.value, n > core.limits.maxBodyBytes {
                // Answered 413; the rest of that body is still coming and is no message: end the
                // connection rather than read megabytes of it.
                core.drop("a \(transport.rawValue.uppercased()) connection sending a \(n)-byte body: answered 413 and closed", from: "\(host):\(port)")
                context.close(promise: nil)
                return
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        framer.close { _ in }
        if held != 0 {
            _ = core.holdPartial(from: held, to: 0)
            held = 0
        }
        if counted {
            core.closeConnection()
            counted = false
        }
        reading = false
        outbound?.closed(on: context.eventLoop)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let outbound {
            // The sender says why its request failed (refused, reset, TLS handshake).
            outbound.failed(error, context: context)
            context.close(promise: nil)
            return
        }
        core.drop("\(transport.rawValue.uppercased()) connection error: \(error)", from: "\(host):\(port)")
        context.close(promise: nil)
    }
}
