import Buttons
import NIOCore
import NIOPosix
import NIOSSL
import Sender

/// An emulated Snom for the desk and for tests: a UAS on UDP, TCP and TLS that answers MESSAGE
/// and OPTIONS as a phone does and keeps its key panel. `start()` binds every address (or throws
/// saying which one failed); `stop()` closes them. Safe to read `keys` from any thread.
// @unchecked: `channels` and `udpChannel` are written only by `start()` and `stop()`, which the
// owner calls in turn from one task; what other threads read (keys, events, calls) is behind
// PhoneCore's and PhoneCalls' locks.
public final class EmulatedPhone: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var user: String
        public var listen: [PhoneListenAddress]
        /// PEM files for TLS listeners.
        public var certificatePath: String?
        public var privateKeyPath: String?
        /// The device's one instance URN (`urn:uuid:…`): the `+sip.instance` of its REGISTER and the
        /// `t=<…>` of every press, as the seed's phones keep one per device.
        public var instance: String
        /// The Contact's `line=` token (the seed's `line=44qsudyt`): the registrar sends documents with it.
        public var line: String

        /// Where the TLS listeners' session keys go (`phone --tls-keylog`).
        public var keyLog: TLSKeyLogSink?

        /// Keys, connections and memory the phone holds at most (see `PhoneLimits`).
        public var limits = PhoneLimits()

        public init(user: String, listen: [PhoneListenAddress], certificatePath: String? = nil, privateKeyPath: String? = nil,
                    instance: String? = nil, line: String? = nil, keyLog: TLSKeyLogSink? = nil) {
            self.user = user
            self.listen = listen
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
            self.instance = instance ?? "urn:uuid:" + PhoneOutboundRequests.randomUUID()
            self.line = line ?? EmulatedPhone.randomLine()
            self.keyLog = keyLog
        }
    }

    public let configuration: Configuration
    private let core: PhoneCore
    private let group: EventLoopGroup
    private let ownsGroup: Bool
    private var channels: [Channel] = []
    /// The first UDP listening socket: the phone's requests leave from it.
    private var udpChannel: Channel?
    /// Calls the phone started, by key (a second press of the key ends the call).
    let calls = PhoneCalls()
    /// The addresses actually bound (port 0 replaced by the port the system chose).
    public private(set) var boundAddresses: [PhoneListenAddress] = []

    /// `onEvent` is called on the phone's event loop thread: keep it short.
    public init(_ configuration: Configuration, group: EventLoopGroup? = nil,
                onEvent: @escaping @Sendable (PhoneEvent) -> Void = { _ in }) {
        self.configuration = configuration
        self.core = PhoneCore(handler: PhoneRequestHandler(user: configuration.user, toTag: EmulatedPhone.randomToken()),
                              limits: configuration.limits, onEvent: onEvent)
        let calls = self.calls
        core.onPeerBye { callID in calls.peerSentBye(callID: callID) }
        if let group {
            self.group = group
            ownsGroup = false
        } else {
            self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            ownsGroup = true
        }
    }

    /// Every key the phone has been told about, and its state.
    public var keys: [String: KeyState] { core.keys }
    public var panel: PhoneKeyPanel { core.panel }

    public func start() throws {
        guard !configuration.listen.isEmpty else { throw PhoneError.noListenAddress }
        var tlsContext: NIOSSLContext?
        if configuration.listen.contains(where: { $0.transport == .tls }) {
            tlsContext = try makeTLSContext()
        }
        do {
            for address in configuration.listen {
                let channel = try bind(address, tls: tlsContext)
                channels.append(channel)
                if address.transport == .udp, udpChannel == nil { udpChannel = channel }
                boundAddresses.append(PhoneListenAddress(transport: address.transport, host: address.host,
                                                         port: channel.localAddress?.port ?? address.port))
            }
        } catch {
            stop()
            throw error
        }
    }

    /// A sender whose UDP requests leave from the phone's listening socket (answers come back to
    /// it); over TCP and TLS it keeps the connections it opens and the phone answers the requests
    /// that come back on them (see `PhoneTransportFactory`). Start the phone first.
    public func makeSender(_ configuration: SenderConfiguration = SenderConfiguration()) -> SIPSender {
        var listening: [PhoneListenAddress.Transport: PhoneListenAddress] = [:]
        for address in boundAddresses where address.transport != .udp && listening[address.transport] == nil {
            listening[address.transport] = address
        }
        let factory = PhoneTransportFactory(udp: udpChannel, core: core, listening: listening)
        core.onResponse { bytes, host, port in factory.deliver(bytes, sourceHost: host, sourcePort: port) }
        return SIPSender(configuration, group: group, factory: factory)
    }

    public func stop() {
        for channel in channels { try? channel.close().wait() }
        channels = []
        if ownsGroup { try? group.syncShutdownGracefully() }
    }

    private func bind(_ address: PhoneListenAddress, tls: NIOSSLContext?) throws -> Channel {
        let core = self.core
        do {
            switch address.transport {
            case .udp:
                return try DatagramBootstrap(group: group)
                    .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                    // NIO reads 2 KiB datagrams by default; an initial-state MESSAGE with an
                    // expansion module is larger (fragmented UDP is normal here).
                    .channelOption(ChannelOptions.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
                    .channelInitializer { $0.pipeline.addHandler(PhoneDatagramHandler(core: core)) }
                    .bind(host: address.host, port: address.port).wait()
            case .tcp, .tls:
                let transport = address.transport
                let limits = configuration.limits
                return try ServerBootstrap(group: group)
                    .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                    // At the descriptor limit accept fails at once, again and again: pause instead of spinning.
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(PhoneAcceptPause(pause: limits.acceptBackoff) { why in
                                core.drop(why, from: address.description)
                            })
                        }
                    }
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: limits.idleTimeout))
                            if let tls {
                                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                            }
                            try channel.pipeline.syncOperations.addHandler(PhoneStreamHandler(core: core, transport: transport))
                        }
                    }
                    .bind(host: address.host, port: address.port).wait()
            }
        } catch {
            throw PhoneError.cannotListen(address.description, "\(error)")
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        guard let certPath = configuration.certificatePath, let keyPath = configuration.privateKeyPath else {
            throw PhoneError.tlsListenerNeedsCertificate
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certPath).map { NIOSSLCertificateSource.certificate($0) }
            guard !chain.isEmpty else { throw PhoneError.tls("\(certPath) holds no PEM certificate") }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            if let keyLog = configuration.keyLog { tls.keyLogCallback = keyLog.callback }
            return try NIOSSLContext(configuration: tls)
        } catch let e as PhoneError {
            throw e
        } catch {
            throw PhoneError.tls("cannot load \(certPath) / \(keyPath): \(error)")
        }
    }

    /// Eight lowercase letters and digits, like a Snom's `line=` token.
    static func randomLine() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return String(g.next() as UInt64, radix: 36)
    }
}
