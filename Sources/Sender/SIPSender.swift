import Capture
import Foundation
import NIOCore
import NIOPosix
import SIP

/// The one way out: sends requests as RFC 3261 non-INVITE client transactions over UDP, TCP or
/// TLS, matches answers by top Via branch and CSeq method, retransmits over UDP (Timer E),
/// gives up at Timer F, reuses TCP/TLS connections, and logs every byte it sent and received.
///
/// All mutable state lives on one event loop; the async API hops onto it.
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
        let address = try SIPSender.resolve(target)
        return try await loop.flatSubmit { self.start(request, target: target, address: address) }.get()
    }

    /// Closes every connection. Pending transactions fail with `.shutDown`.
    public func shutdown() async throws {
        try await loop.flatSubmit { () -> EventLoopFuture<Void> in
            self.isShutDown = true
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

    private func start(_ request: OutgoingRequest, target: SIPTarget, address: SocketAddress) -> EventLoopFuture<TransactionResult> {
        guard !isShutDown else { return loop.makeFailedFuture(SenderError.shutDown) }
        let connection = connectionKey(target, address)
        return transport(for: target, address: address).flatMap { transport in
            let cseq = self.nextCSeq
            self.nextCSeq = self.nextCSeq == UInt32.max ? 1 : self.nextCSeq + 1
            let identity = TransactionIdentity.fresh(cseq: cseq, using: &self.rng)
            let local = RequestStamper.Local(host: transport.local.address.description, port: Int(transport.local.port))
            let stamped = RequestStamper.stamp(request, target: target, local: local, identity: identity,
                                               userAgent: self.configuration.userAgent)
            let key = TransactionKey(branch: identity.branch, method: request.method.uppercased())
            let pending = PendingTransaction(key: key, message: stamped.message, bytes: stamped.bytes, transport: transport,
                                             machine: ClientTransaction(reliable: transport.kind.isReliable, timers: self.configuration.timers),
                                             promise: self.loop.makePromise())
            pending.connectionKey = connection
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
                break
            case .complete:
                guard let response = t.lastResponse else { break }
                let latency = Double(NIODeadline.now().uptimeNanoseconds - t.started.uptimeNanoseconds) / 1e9
                finish(t, with: .success(TransactionResult(
                    request: t.message, requestBytes: t.bytes, response: response, provisional: t.provisional,
                    latency: latency, transmissions: t.machine.transmissions, local: t.transport.local.description,
                    remote: t.transport.remote.description, transport: t.transport.kind)))
            case .timeout:
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
            guard message.statusCode != nil, let branch = message.topViaBranch, let method = message.cseq?.method.uppercased(),
                  let t = transactions[TransactionKey(branch: branch, method: method)] else { return }
            t.lastResponse = message
            if let status = message.statusCode, status < 200 { t.provisional.append(message) }
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
    var machine: ClientTransaction
    let promise: EventLoopPromise<TransactionResult>
    var started = NIODeadline.now()
    var timerE: Scheduled<Void>?
    var timerF: Scheduled<Void>?
    var provisional: [SIPMessage] = []
    var lastResponse: SIPMessage?

    init(key: TransactionKey, message: SIPMessage, bytes: [UInt8], transport: SIPTransport, machine: ClientTransaction,
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
}
