import Foundation
import NIOCore
import NIOPosix
import SIP

/// The one way out: sends requests as RFC 3261 non-INVITE client transactions over UDP, TCP or
/// TLS, matches answers by top Via branch and CSeq method, retransmits over UDP (Timer E),
/// gives up at Timer F, reuses TCP/TLS connections, and logs every byte it sent and received.
///
/// All mutable state lives on one event loop; the async API hops onto it.
// @unchecked: the mutable state is confined to `loop` (every access hops onto it), which the
// compiler cannot see.
public final class SIPSender: @unchecked Sendable {
    public let configuration: SenderConfiguration
    /// What went over the wire, in order (see `PcapRecording` to write it as a capture).
    public let log: SenderLog
    private let group: EventLoopGroup
    private let ownsGroup: Bool
    private let loop: EventLoop
    private let factory: SIPTransportFactory

    // Event-loop-confined state.
    private var connections: [ConnectionKey: EventLoopFuture<SIPTransport>] = [:]
    /// The connected ones among `connections`.
    private var live: [ConnectionKey: SIPTransport] = [:]
    private var transactions: [TransactionKey: PendingTransaction] = [:]
    /// ACKs sent for INVITEs, by the INVITE's branch: a retransmitted final answer gets it again.
    private var acks: [String: SentAck] = [:]
    private var nextCSeq: UInt32 = 1
    private var rng = SystemRandomNumberGenerator()
    private var isShutDown = false

    public init(_ configuration: SenderConfiguration = SenderConfiguration(), group: EventLoopGroup? = nil,
                factory: SIPTransportFactory = NIOTransportFactory()) {
        self.configuration = configuration
        self.log = SenderLog()
        self.factory = factory
        if let group {
            self.group = group
            self.ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            self.ownsGroup = true
        }
        self.loop = self.group.next()
    }

    /// Sends one request and waits for its final response.
    ///
    /// Throws `SenderError`: `.nameNotResolved`, `.connectionRefused` (at once), `.portUnreachable`
    /// (UDP, as soon as the ICMP error comes back), `.tlsHandshakeFailed`, `.noAnswer` (Timer F).
    /// A final response of any status (404, 415…) is a result, not an error.
    public func send(_ request: OutgoingRequest, to target: SIPTarget) async throws -> TransactionResult {
        try await send(request, to: target, identity: nil)
    }

    /// Sends one request with the given identifiers (a CANCEL shares its INVITE's branch, Call-ID,
    /// From tag and CSeq number; an in-dialog BYE its Call-ID and tags), or fresh ones when nil.
    /// An INVITE runs as an INVITE client transaction (RFC 3261 §17.1.1): `onProvisional` hears
    /// each 1xx, a final answer of 300–699 is acknowledged here, a 2xx is returned for the caller
    /// to acknowledge (`acknowledge`).
    public func send(_ request: OutgoingRequest, to target: SIPTarget, identity: TransactionIdentity?,
                     onProvisional: (@Sendable (SIPMessage) -> Void)? = nil) async throws -> TransactionResult {
        let address = try SIPSender.resolve(target)
        return try await loop.flatSubmit {
            self.start(request, target: target, address: address, identity: identity, onProvisional: onProvisional)
        }.get()
    }

    /// Sends the ACK for an INVITE's 2xx (RFC 3261 §13.2.2.4): no transaction, no answer; sent again
    /// whenever that 2xx is retransmitted, for 64·T1. Returns the bytes sent.
    @discardableResult
    public func acknowledge(_ ack: OutgoingRequest, to target: SIPTarget, identity: TransactionIdentity,
                            inviteBranch: String) async throws -> [UInt8] {
        let address = try SIPSender.resolve(target)
        return try await loop.flatSubmit { () -> EventLoopFuture<[UInt8]> in
            guard !self.isShutDown else { return self.loop.makeFailedFuture(SenderError.shutDown) }
            return self.transport(for: target, address: address).flatMap { transport in
                let local = RequestStamper.Local(host: transport.sentBy.address.description, port: Int(transport.sentBy.port))
                let stamped = RequestStamper.stamp(ack, target: target, local: local, identity: identity,
                                                   userAgent: self.configuration.userAgent)
                self.sendAck(stamped.bytes, on: transport, forInvite: inviteBranch)
                return self.loop.makeSucceededFuture(stamped.bytes)
            }
        }.get()
    }

    /// Closes every connection. Pending transactions fail with `.shutDown`.
    public func shutdown() async throws {
        try await loop.flatSubmit { () -> EventLoopFuture<Void> in
            self.isShutDown = true
            self.acks.removeAll()
            for (_, t) in self.transactions { self.finish(t, with: .failure(SenderError.shutDown)) }
            let closing = self.connections.values.map { f in f.flatMap { $0.close() }.recover { _ in } }
            self.connections.removeAll()
            self.live.removeAll()
            return EventLoopFuture.andAllComplete(closing, on: self.loop)
        }.get()
        if ownsGroup { try await group.shutdownGracefully() }
    }

    /// Resolves the target's host (DNS or hosts file), once, before anything is sent.
    public static func resolve(_ target: SIPTarget) throws -> SocketAddress {
        do {
            return try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
        } catch {
            throw SenderError.nameNotResolved(host: target.host, reason: "getaddrinfo found no address")
        }
    }

    // MARK: - On the event loop

    private func start(_ request: OutgoingRequest, target: SIPTarget, address: SocketAddress, identity given: TransactionIdentity?,
                       onProvisional: (@Sendable (SIPMessage) -> Void)?) -> EventLoopFuture<TransactionResult> {
        guard !isShutDown else { return loop.makeFailedFuture(SenderError.shutDown) }
        let connection = connectionKey(target, address)
        return transport(for: target, address: address).flatMap { transport in
            let identity: TransactionIdentity
            if let given {
                identity = given
            } else {
                let cseq = self.nextCSeq
                self.nextCSeq = self.nextCSeq == UInt32.max ? 1 : self.nextCSeq + 1
                identity = TransactionIdentity.fresh(cseq: cseq, using: &self.rng)
            }
            let local = RequestStamper.Local(host: transport.sentBy.address.description, port: Int(transport.sentBy.port))
            let stamped = RequestStamper.stamp(request, target: target, local: local, identity: identity,
                                               userAgent: self.configuration.userAgent)
            let key = TransactionKey(branch: identity.branch, method: request.method.uppercased())
            let reliable = transport.kind.isReliable, timers = self.configuration.timers
            let machine: any TransactionMachine = key.method == "INVITE"
                ? InviteClientTransaction(reliable: reliable, timers: timers) : ClientTransaction(reliable: reliable, timers: timers)
            let pending = PendingTransaction(key: key, message: stamped.message, bytes: stamped.bytes, transport: transport,
                                             machine: machine, promise: self.loop.makePromise())
            pending.connectionKey = connection
            pending.onProvisional = onProvisional
            self.transactions[key] = pending
            self.perform(pending.machine.start(), for: pending)
            return pending.promise.futureResult
        }
    }

    private func connectionKey(_ target: SIPTarget, _ address: SocketAddress) -> ConnectionKey {
        ConnectionKey(kind: target.transport, address: address.description, serverName: target.transport == .tls ? target.host : "")
    }

    private func transport(for target: SIPTarget, address: SocketAddress) -> EventLoopFuture<SIPTransport> {
        let key = connectionKey(target, address)
        if let existing = connections[key] { return existing }
        let future = factory.makeTransport(to: address, target: target, configuration: configuration, on: loop) { [weak self] event in
            guard let self else { return }
            self.loop.execute { self.handle(event, on: key) }
        }
        connections[key] = future
        future.whenComplete { [weak self] result in
            guard let self, self.connections[key].map({ $0 === future }) ?? false else { return }
            switch result {
            case .success(let transport): self.live[key] = transport
            case .failure: self.connections[key] = nil
            }
        }
        return future
    }

    private func perform(_ actions: [ClientTransaction.Action], for t: PendingTransaction) {
        for action in actions {
            switch action {
            case .transmit(let retransmission):
                if !retransmission { t.started = NIODeadline.now() }
                record(.sent, bytes: t.bytes, transport: t.transport, retransmission: retransmission)
                t.transport.write(t.bytes).whenFailure { [weak self] error in
                    guard let self else { return }
                    let e = SenderError.from(error, address: t.transport.remote.description, udp: t.transport.kind == .udp)
                    // A write on a closed connection says less than the transport's own report of why it
                    // closed (a TLS handshake failure, say), which follows: let that one end it.
                    if case .connectionClosed = e { return }
                    self.finish(t, with: .failure(e))
                }
            case .startTimerE(let seconds):
                t.timerE?.cancel()
                t.timerE = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [weak self] in
                    guard let self, self.transactions[t.key] === t else { return }
                    self.perform(t.machine.timerEFired(), for: t)
                }
            case .startTimerF(let seconds):
                t.timerF = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [weak self] in
                    guard let self, self.transactions[t.key] === t else { return }
                    self.perform(t.machine.timerFFired(), for: t)
                }
            case .provisional:
                if let last = t.provisional.last { t.onProvisional?(last) }
            case .acknowledge:
                if let response = t.lastResponse {
                    sendAck(SIPSender.nonSuccessAck(for: t.message, response: response), on: t.transport, forInvite: t.key.branch)
                }
            case .complete:
                guard let response = t.lastResponse else { break }
                let latency = Double(NIODeadline.now().uptimeNanoseconds - t.started.uptimeNanoseconds) / 1e9
                finish(t, with: .success(TransactionResult(
                    request: t.message, requestBytes: t.bytes, response: response, provisional: t.provisional,
                    latency: latency, transmissions: t.machine.transmissions, local: t.transport.local.description,
                    remote: t.transport.remote.description, transport: t.transport.kind)))
            case .timeout:
                if t.provisionalCount > 0, let last = t.lastResponse?.statusCode {
                    finish(t, with: .failure(SenderError.onlyProvisional(address: t.transport.remote.description, transport: t.transport.kind,
                                                                         seconds: configuration.timers.timerF, lastStatus: last,
                                                                         count: t.provisionalCount)))
                    return
                }
                finish(t, with: .failure(SenderError.noAnswer(address: t.transport.remote.description, transport: t.transport.kind,
                                                              seconds: configuration.timers.timerF, transmissions: t.machine.transmissions)))
            }
        }
    }

    private func finish(_ t: PendingTransaction, with result: Result<TransactionResult, Error>) {
        guard transactions[t.key] === t else { return }
        transactions[t.key] = nil
        t.timerE?.cancel()
        t.timerF?.cancel()
        t.promise.completeWith(result)
    }

    private func handle(_ event: TransportEvent, on key: ConnectionKey) {
        switch event {
        case .received(let bytes):
            guard let transport = live[key] else { return }
            record(.received, bytes: bytes, transport: transport, retransmission: false)
        case .message(let message):
            guard message.statusCode != nil, let branch = message.topViaBranch, let method = message.cseq?.method.uppercased() else { return }
            guard let t = transactions[TransactionKey(branch: branch, method: method)] else {
                // A final answer to an INVITE already acknowledged, sent again: so is the ACK.
                if method == "INVITE", let ack = acks[branch], (message.statusCode ?? 0) >= 200 {
                    record(.sent, bytes: ack.bytes, transport: ack.transport, retransmission: true)
                    _ = ack.transport.write(ack.bytes)
                }
                return
            }
            t.lastResponse = message
            if let status = message.statusCode, status < 200 {
                // A UAS may send 100 Trying forever: count them all, keep the first few.
                t.provisionalCount += 1
                if t.provisional.count < 32 { t.provisional.append(message) }
            }
            perform(t.machine.received(status: message.statusCode ?? 0), for: t)
        case .failed(let error):
            drop(key)
            for t in transactions.values where t.connectionKey == key { finish(t, with: .failure(error)) }
        case .wire(let entry):
            log.appendWire(entry)
        case .closed:
            drop(key)
            for t in transactions.values where t.connectionKey == key {
                finish(t, with: .failure(SenderError.connectionClosed(address: t.transport.remote.description)))
            }
        }
    }

    /// Writes an ACK and keeps it for 64·T1, for retransmissions of the final answer it acknowledges.
    private func sendAck(_ bytes: [UInt8], on transport: SIPTransport, forInvite branch: String) {
        record(.sent, bytes: bytes, transport: transport, retransmission: false)
        _ = transport.write(bytes)
        let ack = SentAck(bytes: bytes, transport: transport)
        acks[branch] = ack
        loop.scheduleTask(in: .nanoseconds(Int64(configuration.timers.timerF * 1e9))) { [weak self] in
            guard let self, self.acks[branch] === ack else { return }
            self.acks[branch] = nil
        }
    }

    /// RFC 3261 §17.1.1.3: the ACK for a 300–699 has the INVITE's Request-URI, top Via (so its
    /// branch), From, Call-ID and CSeq number, and the To of the answer (with its tag).
    static func nonSuccessAck(for invite: SIPMessage, response: SIPMessage) -> [UInt8] {
        var headers: [SIPHeader] = []
        if let via = invite.headerValues("via").first { headers.append(SIPHeader(name: "Via", value: via)) }
        headers.append(SIPHeader(name: "Max-Forwards", value: "70"))
        for (key, name) in [("from", "From")] { if let v = invite.header(key) { headers.append(SIPHeader(name: name, value: v)) } }
        if let to = response.header("to") ?? invite.header("to") { headers.append(SIPHeader(name: "To", value: to)) }
        if let callID = invite.callID { headers.append(SIPHeader(name: "Call-ID", value: callID)) }
        if let cseq = invite.cseq { headers.append(SIPHeader(name: "CSeq", value: "\(cseq.number) ACK")) }
        for route in invite.headers where route.key == "route" { headers.append(SIPHeader(name: "Route", value: route.value)) }
        let uri: String
        if case .request(_, let u) = invite.startLine { uri = u } else { uri = "sip:invalid" }
        return SIPSerializer.serialize(SIPMessage(startLine: .request(method: "ACK", uri: uri), headers: headers))
    }

    /// Forgets a broken connection (closing it), so the next request opens a fresh one.
    private func drop(_ key: ConnectionKey) {
        if let transport = live.removeValue(forKey: key) { _ = transport.close() }
        connections[key] = nil
    }

    private func record(_ direction: SenderLogEntry.Direction, bytes: [UInt8], transport: SIPTransport, retransmission: Bool) {
        let entry = SenderLogEntry(direction: direction, time: Date().timeIntervalSince1970, transport: transport.kind,
                                   local: transport.local, remote: transport.remote, bytes: bytes,
                                   isRetransmission: retransmission)
        log.append(entry)
        configuration.onLog?(entry)
    }
}

struct ConnectionKey: Hashable {
    var kind: SIPTransportKind
    var address: String
    var serverName: String
}

struct TransactionKey: Hashable {
    var branch: String
    var method: String
}

/// One transaction in flight: its state machine, its bytes, its timers.
final class PendingTransaction {
    let key: TransactionKey
    let message: SIPMessage
    let bytes: [UInt8]
    let transport: SIPTransport
    var machine: any TransactionMachine
    let promise: EventLoopPromise<TransactionResult>
    var started = NIODeadline.now()
    var timerE: Scheduled<Void>?
    var timerF: Scheduled<Void>?
    var provisional: [SIPMessage] = []
    var provisionalCount = 0
    var lastResponse: SIPMessage?

    init(key: TransactionKey, message: SIPMessage, bytes: [UInt8], transport: SIPTransport, machine: any TransactionMachine,
         promise: EventLoopPromise<TransactionResult>) {
        self.key = key
        self.message = message
        self.bytes = bytes
        self.transport = transport
        self.machine = machine
        self.promise = promise
    }

    /// The connection it was sent on: a failure of that connection ends it.
    var connectionKey: ConnectionKey?
    /// Hears each 1xx (an INVITE's caller sends CANCEL only after one).
    var onProvisional: (@Sendable (SIPMessage) -> Void)?
}

/// An ACK on the wire, kept for the retransmissions of the answer it acknowledges.
final class SentAck {
    let bytes: [UInt8]
    let transport: SIPTransport
    init(bytes: [UInt8], transport: SIPTransport) {
        self.bytes = bytes
        self.transport = transport
    }
}
