import Buttons
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Phone
import Sender
import SIP
import Testing
import TestSupport

/// Issue 15, item 8 over TCP and TLS: the phone registers from a connection it opens, names its
/// listening port in Via and Contact, keeps the connection, and answers the documents a registrar
/// sends back on it (RFC 5923 connection reuse, RFC 5626 outbound, Kamailio's TCP reuse) exactly
/// as on the listening socket: 200, key states applied, the same limits. Addresses 127.0.21.0/24.
///
/// The seed's Snom over TLS: its REGISTER says
///   "Via: SIP/2.0/TLS 172.20.25.101:2048;branch=z9hG4bK-2kecpl491c02;rport" and
///   "Contact: <sip:44@172.20.25.101:2048;transport=tls;line=44qsudyt>; +sip.instance=…",
/// and the registrar answers "Via: SIP/2.0/TLS 172.20.25.101:2048;…;rport=4392": the connection
/// came from port 4392, the phone listens on 2048. Then "The registrar sends the initial state",
/// "MESSAGE sip:44@172.20.25.101:2048;transport=tls;line=44qsudyt", and "The phone changes the
/// state of the key … and acknowledges the message: SIP/2.0 200 Ok".
@Suite(.serialized) struct PhoneConnectionReuseTests {
    static let phoneHost = "127.0.21.1"
    static let instance = "urn:uuid:b255d09d-7a6e-4ad3-9ffb-eeacc9f87d52"
    static let timers = SIPTimers(t1: 0.1, t2: 0.4)

    /// The seed's incoming call: "k=3 l=42 c=pickup i=19781234567 n=*6013 a=invite".
    static let pickup = KeyState(light: "pickup", action: "invite", destination: "*6013", label: "42", caller: "19781234567")

    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(method: String, status: Int, from: String, transport: PhoneListenAddress.Transport)] = []
        func add(_ event: PhoneEvent) {
            guard case .answered(let method, let status, let from, let transport, _) = event else { return }
            lock.lock(); items.append((method, status, from, transport)); lock.unlock()
        }
        var all: [(method: String, status: Int, from: String, transport: PhoneListenAddress.Transport)] {
            lock.lock(); defer { lock.unlock() }; return items
        }
    }

    @Test func overTCPTheRegistrarsDocumentComesBackOnThePhonesConnectionAndIsAnswered200There() async throws {
        let sipp = try PhoneSpecTests.sipp()
        let answers = Answers()
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:\(Self.phoneHost):0"),
                                                             try PhoneListenAddress(parsing: "tcp:\(Self.phoneHost):0")],
                                        instance: Self.instance, line: "44qsudyt"), onEvent: answers.add)
        try phone.start()
        defer { phone.stop() }
        let tcpPort = phone.boundAddresses[1].port
        let registrar = try SIPpPeer(scenario: Paths.senderFixture("sipp-registrar-reuses-connection.xml"), sipp: sipp,
                                     address: "127.0.21.2", calls: 1, transport: "tcp")
        defer { registrar.stop() }
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        let target = SIPTarget(user: nil, host: registrar.address, port: registrar.port, transport: .tcp)
        let registered = try await phone.register(via: sender, to: target)
        #expect(registered.statusCode == 200)
        #expect(registered.transport == .tcp)
        // The connection left from a port of the system's choosing, not the listening one.
        #expect(!registered.local.hasSuffix(":\(tcpPort)"), "\(registered.local)")

        #expect(await PhoneSpecTests.waitFor { phone.keys["3"] == Self.pickup }, "the document on the phone's connection was not applied: \(phone.keys)")
        try await registrar.exited()   // SIPp fails unless the phone's 200 came back on its one connection
        try await sender.shutdown()

        // Answered where it came from: SIPp's listening address, i.e. the connection the phone opened
        // (a connection SIPp opened would come from another port, to the phone's listening one).
        let message = answers.all.filter { $0.method == "MESSAGE" }
        #expect(message.count == 1)
        #expect(message.first?.status == 200)
        #expect(message.first?.from == "\(registrar.address):\(registrar.port)")
        #expect(message.first?.transport == .tcp)

        let trace = try registrar.trace()
        let register = try #require(PhoneSpecTests.traced(trace, "REGISTER "))
        #expect(register.contains("Via: SIP/2.0/TCP \(Self.phoneHost):\(tcpPort);"), "Via names the listening port: \(register)")
        #expect(register.contains(";rport"), "\(register)")
        #expect(register.contains("Contact: <sip:44@\(Self.phoneHost):\(tcpPort);transport=tcp;line=44qsudyt>;+sip.instance=\"<\(Self.instance)>\""),
                "\(register)")
        #expect(register.contains("Supported: buttons"))
        let sent = try #require(PhoneSpecTests.traced(trace, "MESSAGE "))
        #expect(sent.contains("MESSAGE sip:44@\(Self.phoneHost):\(tcpPort);transport=tcp;line=44qsudyt SIP/2.0"), "\(sent)")
        #expect(trace.components(separatedBy: "\n\n").contains { $0.contains("SIP/2.0 200 OK") && $0.contains("CSeq: 10489 MESSAGE") },
                "the phone's answer is in SIPp's trace: \(trace)")
    }

    @Test func overTLSTheSameConnectionCarriesTheDocumentAndItsAnswer() async throws {
        let pki = try SelfSignedCertificate()
        defer { pki.remove() }
        let answers = Answers()
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "tls:\(Self.phoneHost):0")],
                                        certificatePath: pki.certificate, privateKeyPath: pki.key,
                                        instance: Self.instance, line: "44qsudyt"), onEvent: answers.add)
        try phone.start()
        defer { phone.stop() }
        let tlsPort = phone.boundAddresses[0].port
        let registrar = try StreamRegistrar(host: "127.0.21.3", tls: pki) { contactURI in
            [StreamRegistrar.message(to: contactURI, transport: "TLS", branch: "reuse-tls", cseq: 10489,
                                     body: "k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n")]
        }
        defer { registrar.stop() }
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers, tls: TLSOptions(insecure: true)))
        let registered = try await phone.register(via: sender, to: SIPTarget(user: nil, host: registrar.host, port: registrar.port, transport: .tls))
        #expect(registered.statusCode == 200)
        #expect(await PhoneSpecTests.waitFor { phone.keys["3"] == Self.pickup }, "the document on the phone's TLS connection was not applied")
        let responses = try registrar.responses(1)
        try await sender.shutdown()

        #expect(responses.first?.statusCode == 200)
        #expect(responses.first?.cseq?.number == 10489)
        #expect(registrar.connections == 1, "REGISTER, document and answer on one connection")
        let register = try #require(registrar.register)
        #expect(register.headerValues("via").first?.hasPrefix("SIP/2.0/TLS \(Self.phoneHost):\(tlsPort);") == true, "\(register.headerValues("via"))")
        #expect(register.header("contact") == "<sip:44@\(Self.phoneHost):\(tlsPort);transport=tls;line=44qsudyt>;+sip.instance=\"<\(Self.instance)>\"")
        #expect(answers.all.contains { $0.method == "MESSAGE" && $0.status == 200 && $0.transport == .tls })
    }

    /// Issue 16, item 6 on the phone's own connection: a body larger than `PhoneLimits.maxBodyBytes`
    /// is answered 413 and the connection closed, as on the listening socket; and a request
    /// missing its Content-Length is not applied.
    @Test func theLimitsHoldOnThePhonesOwnConnection() async throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "tcp:\(Self.phoneHost):0")],
                                        instance: Self.instance, line: "44qsudyt"))
        try phone.start()
        defer { phone.stop() }
        let big = String(repeating: "k=1\r\nl=x\r\n", count: 7_000)   // 70 000 bytes, more than the 64 KiB a phone takes
        let registrar = try StreamRegistrar(host: "127.0.21.4", tls: nil) { contactURI in
            [StreamRegistrar.message(to: contactURI, transport: "TCP", branch: "big", cseq: 1, body: big)]
        }
        defer { registrar.stop() }
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        let registered = try await phone.register(via: sender, to: SIPTarget(user: nil, host: registrar.host, port: registrar.port, transport: .tcp))
        #expect(registered.statusCode == 200)
        let responses = try registrar.responses(1)
        try await sender.shutdown()
        #expect(responses.first?.statusCode == 413)
        #expect(phone.keys.isEmpty)
        #expect(registrar.waitForClose(), "the phone closes a connection sending a body it will not read")
    }
}

/// A registrar over TCP or TLS (swift-nio, as SIPp here has no TLS): answers the first REGISTER
/// 200 with `Require: buttons`, then writes `documents(contact URI)` on the same connection, and
/// collects the responses that come back on it.
final class StreamRegistrar: @unchecked Sendable {
    let host: String
    let port: Int
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let channel: Channel
    private let state = NIOLockedValueBox((connections: 0, closed: 0, register: SIPMessage?.none, responses: [SIPMessage]()))

    var connections: Int { state.withLockedValue { $0.connections } }
    var register: SIPMessage? { state.withLockedValue { $0.register } }

    init(host: String, tls: SelfSignedCertificate?, documents: @escaping @Sendable (String) -> [[UInt8]]) throws {
        self.host = host
        let context: NIOSSLContext? = try tls.map { pki in
            let chain = try NIOSSLCertificate.fromPEMFile(pki.certificate).map { NIOSSLCertificateSource.certificate($0) }
            return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain,
                                                                             privateKey: .privateKey(try NIOSSLPrivateKey(file: pki.key, format: .pem))))
        }
        let state = self.state
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.addHandler(Connection(state: state, documents: documents))
                }
            }
            .bind(host: host, port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    /// Waits (3 s at most) until `count` responses came back.
    func responses(_ count: Int) throws -> [SIPMessage] {
        let deadline = Date().addingTimeInterval(3)
        while state.withLockedValue({ $0.responses.count }) < count {
            if Date() > deadline { throw TestFailure("fewer than \(count) responses on the registrar's connection within 3 s") }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return state.withLockedValue { $0.responses }
    }

    func waitForClose() -> Bool {
        let deadline = Date().addingTimeInterval(3)
        while state.withLockedValue({ $0.closed }) == 0 {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    static func message(to uri: String, transport: String, branch: String, cseq: Int, body: String) -> [UInt8] {
        Array(("MESSAGE \(uri) SIP/2.0\r\nVia: SIP/2.0/\(transport) 127.0.21.9:5061;branch=z9hG4bK-\(branch);rport\r\n"
            + "From: <sip:44@pbx.example>;tag=pbx\(cseq)\r\nTo: <sip:44@pbx.example>\r\nCall-ID: \(branch)@pbx\r\n"
            + "CSeq: \(cseq) MESSAGE\r\nMax-Forwards: 70\r\nSubject: buttons\r\nContent-Type: application/x-buttons\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
    }

    typealias State = NIOLockedValueBox<(connections: Int, closed: Int, register: SIPMessage?, responses: [SIPMessage])>

    final class Connection: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let state: State
        let documents: @Sendable (String) -> [[UInt8]]
        var bytes: [UInt8] = []

        init(state: State, documents: @escaping @Sendable (String) -> [[UInt8]]) {
            self.state = state
            self.documents = documents
        }

        func channelActive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.connections += 1 }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.closed += 1 }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
            while let end = SIPHeaderParser.headerEnd(bytes, from: 0), var message = SIPHeaderParser.parse(bytes[0..<end]) {
                let length = message.declaredContentLength.value ?? 0
                guard bytes.count >= end + length else { return }
                message.body = Array(bytes[end..<(end + length)])
                bytes.removeFirst(end + length)
                if message.isRequest {
                    answer(message, context: context)
                } else {
                    state.withLockedValue { $0.responses.append(message) }
                }
            }
        }

        private func answer(_ request: SIPMessage, context: ChannelHandlerContext) {
            guard request.method == "REGISTER" else { return }
            state.withLockedValue { $0.register = request }
            let contact = request.header("contact") ?? ""
            let uri = contact.split(separator: "<").first?.split(separator: ">").first.map(String.init) ?? ""
            var text = "SIP/2.0 200 OK\r\n"
            for via in request.headerValues("via") { text += "Via: \(via)\r\n" }
            text += "From: \(request.header("from") ?? "")\r\nTo: \(request.header("to") ?? "");tag=reg1\r\n"
            text += "Call-ID: \(request.callID ?? "")\r\nCSeq: \(request.header("cseq") ?? "")\r\nContact: <\(uri)>;expires=3600\r\n"
            text += "Require: buttons\r\nContent-Length: 0\r\n\r\n"
            context.write(NIOAny(ByteBuffer(string: text)), promise: nil)
            for document in documents(uri) { context.write(NIOAny(ByteBuffer(bytes: document)), promise: nil) }
            context.flush()
        }
    }
}
