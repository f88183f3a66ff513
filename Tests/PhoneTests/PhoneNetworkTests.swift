import Buttons
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Phone
import Sender
import SIP
import Testing
import TestSupport

/// The emulated phone on loopback, driven by plain sockets (not our sender), so what is checked
/// is the wire: its answers, and its keys afterwards.
@Suite(.serialized) struct PhoneNetworkTests {
    @Test func udpMessageIsAnsweredAndAppliedWithResetSemantics() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)

        let first = try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=3\r\nc=on\r\nl=Sales\r\nn=9001\r\n", branch: "b1"), udpPort: port)
        #expect(first.statusCode == 200)
        #expect(phone.keys["3"] == KeyState(light: "on", destination: "9001", label: "Sales"))

        // The spec: a description replaces the whole state. `k=3 l=42` turns the lamp off and
        // clears the destination.
        let second = try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=3\r\nl=42\r\n", branch: "b2"), udpPort: port)
        #expect(second.statusCode == 200)
        #expect(phone.keys["3"] == KeyState(label: "42"))
    }

    @Test func theResponseEchoesTheTransactionHeaders() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let r = try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=1\r\n", branch: "echo1", via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-echo1;rport"), udpPort: port)
        // The packet came from 127.0.0.1, not the Via's 192.0.2.1: received= and rport= are added.
        let via = try #require(r.header("via"))
        #expect(via.hasPrefix("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-echo1;rport="))
        #expect(via.contains(";received=127.0.0.1"))
        #expect(r.header("from") == "<sip:pbx@127.0.0.1>;tag=pbx1")
        #expect(r.header("to")?.hasPrefix("<sip:44@127.0.0.1>;tag=") == true)
        #expect(r.callID == "call-echo1")
        #expect(r.header("cseq") == "7 MESSAGE")
        #expect(r.header("content-length") == "0")
        #expect(r.body.isEmpty)
    }

    @Test func aMessageForAnotherUserGets404AndChangesNothing() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let r = try PhoneWire.exchange(PhoneWire.message(user: "45", body: "k=3\r\nc=on\r\n", branch: "w1"), udpPort: port)
        #expect(r.statusCode == 404)
        #expect(phone.keys.isEmpty)
    }

    @Test func optionsAndOtherMethods() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        #expect(try PhoneWire.exchange(PhoneWire.request("OPTIONS", user: "44", branch: "o1"), udpPort: port).statusCode == 200)
        #expect(try PhoneWire.exchange(PhoneWire.request("INVITE", user: "44", branch: "i1"), udpPort: port).statusCode == 405)
        #expect(try PhoneWire.exchange(PhoneWire.request("FROBNICATE", user: "44", branch: "f1"), udpPort: port).statusCode == 501)
    }

    @Test func aRetransmissionGetsTheSameAnswerAndIsNotAppliedTwice() throws {
        let changes = ChangeCounter()
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")])) { event in
            if case .keyChanged = event { changes.add() }
        }
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let request = PhoneWire.message(user: "44", body: "k=5\r\nc=on\r\n", branch: "rt1")
        let a = try PhoneWire.exchange(request, udpPort: port)
        // Between the two copies another document changes key 5: the retransmission must not undo it.
        _ = try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=5\r\nc=hold\r\n", branch: "rt2"), udpPort: port)
        let b = try PhoneWire.exchange(request, udpPort: port)
        #expect(a.header("to") == b.header("to"))
        #expect(phone.keys["5"]?.light == "hold")
        #expect(changes.count == 2)
    }

    @Test func tcpFramesPipelinedAndSplitRequestsByContentLength() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "tcp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let one = PhoneWire.message(user: "44", body: "k=1\r\nc=on\r\nl=A\r\n", branch: "t1", transport: "TCP")
        let two = PhoneWire.message(user: "44", body: "k=2\r\nc=on\r\nl=B\r\n\r\nk=1\r\nl=A2\r\n", branch: "t2", transport: "TCP")
        let three = PhoneWire.message(user: "45", body: "k=9\r\n", branch: "t3", transport: "TCP")
        // Two requests in one segment, then one cut in the middle of its body.
        let all = one + two + three
        let cut = one.count + two.count + three.count - 3
        let responses = try PhoneWire.streamExchange([Array(all[..<cut]), Array(all[cut...])], port: port, tls: false, expecting: 3)
        #expect(responses.map(\.statusCode) == [200, 200, 404])
        #expect(phone.keys["1"] == KeyState(label: "A2"))
        #expect(phone.keys["2"] == KeyState(light: "on", label: "B"))
        #expect(phone.keys["9"] == nil)
    }

    @Test func tlsWithASelfSignedCertificate() throws {
        let pki = try SelfSignedCertificate()
        defer { pki.remove() }
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "tls:127.0.0.1:0")],
                                        certificatePath: pki.certificate, privateKeyPath: pki.key))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let request = PhoneWire.message(user: "44", body: "k=7\r\nc=on\r\nl=TLS\r\n", branch: "s1", transport: "TLS")
        let responses = try PhoneWire.streamExchange([request], port: port, tls: true, expecting: 1)
        #expect(responses.first?.statusCode == 200)
        #expect(phone.keys["7"] == KeyState(light: "on", label: "TLS"))
    }

    @Test func tlsWithoutACertificateIsRefusedAtStart() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "tls:127.0.0.1:0")]))
        #expect(throws: PhoneError.self) { try phone.start() }
    }
}

final class ChangeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

/// Requests as bytes, and exchanges over plain NIO sockets.
enum PhoneWire {
    static func message(user: String, body: String, branch: String, transport: String = "UDP",
                        via: String? = nil) -> [UInt8] {
        request("MESSAGE", user: user, branch: branch, transport: transport, via: via,
                extra: "Content-Type: application/x-buttons\r\n", body: body)
    }

    static func request(_ method: String, user: String, branch: String, transport: String = "UDP", via: String? = nil,
                        extra: String = "", body: String = "") -> [UInt8] {
        let text = "\(method) sip:\(user)@127.0.0.1;line=abc SIP/2.0\r\n"
            + "Via: \(via ?? "SIP/2.0/\(transport) 127.0.0.1:5099;branch=z9hG4bK-\(branch);rport")\r\n"
            + "From: <sip:pbx@127.0.0.1>;tag=pbx1\r\nTo: <sip:\(user)@127.0.0.1>\r\nCall-ID: call-\(branch)\r\n"
            + "CSeq: 7 \(method)\r\nMax-Forwards: 70\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        return Array(text.utf8)
    }

    static func parse(_ bytes: [UInt8]) throws -> SIPMessage {
        guard let end = SIPHeaderParser.headerEnd(bytes, from: 0), var m = SIPHeaderParser.parse(bytes[0..<end]) else {
            throw TestFailure("not a SIP response: \(String(decoding: bytes, as: UTF8.self))")
        }
        m.body = Array(bytes[end...])
        return m
    }

    /// One datagram out, the first datagram back (2 s at most).
    static func exchange(_ request: [UInt8], udpPort: Int) throws -> SIPMessage {
        try exchange(request, to: "127.0.0.1", port: udpPort, from: "127.0.0.1")
    }

    /// The same from and to given loopback addresses.
    static func exchange(_ request: [UInt8], to host: String, port: Int, from local: String) throws -> SIPMessage {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel = try DatagramBootstrap(group: group)
            .channelInitializer { $0.pipeline.addHandler(Collector(promise: promise)) }
            .bind(host: local, port: 0).wait()
        defer { try? channel.close().wait() }
        let remote = try SocketAddress(ipAddress: host, port: port)
        try channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: request))).wait()
        group.next().scheduleTask(in: .seconds(2)) { promise.fail(TestFailure("no answer within 2 s")) }
        return try parse(promise.futureResult.wait())
    }

    /// Writes each chunk (a short pause between), reads until `expecting` responses arrived.
    static func streamExchange(_ chunks: [[UInt8]], port: Int, tls: Bool, expecting: Int) throws -> [SIPMessage] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let promise = group.next().makePromise(of: [UInt8].self)
        let sslContext = tls ? try NIOSSLContext(configuration: {
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            return c
        }()) : nil
        let channel = try ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHandler(StreamCollector(promise: promise, expecting: expecting))
                }
            }
            .connect(host: "127.0.0.1", port: port).wait()
        defer { try? channel.close().wait() }
        for chunk in chunks {
            try channel.writeAndFlush(ByteBuffer(bytes: chunk)).wait()
            Thread.sleep(forTimeInterval: 0.05)
        }
        group.next().scheduleTask(in: .seconds(3)) { promise.fail(TestFailure("fewer than \(expecting) answers within 3 s")) }
        var bytes = try promise.futureResult.wait()
        var out: [SIPMessage] = []
        while let end = SIPHeaderParser.headerEnd(bytes, from: 0), let m = SIPHeaderParser.parse(bytes[0..<end]) {
            out.append(m)
            bytes.removeFirst(end + (m.declaredContentLength.value ?? 0))
        }
        return out
    }

    final class Collector: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let promise: EventLoopPromise<[UInt8]>
        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            promise.succeed(Array(unwrapInboundIn(data).data.readableBytesView))
        }
    }

    final class StreamCollector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<[UInt8]>
        let expecting: Int
        var bytes: [UInt8] = []
        init(promise: EventLoopPromise<[UInt8]>, expecting: Int) { self.promise = promise; self.expecting = expecting }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
            // Responses from the phone have empty bodies: count header ends.
            var count = 0, i = 0
            while let end = SIPHeaderParser.headerEnd(bytes, from: i) { count += 1; i = end }
            if count >= expecting { promise.succeed(bytes) }
        }
    }
}

/// A key press leaves through the shared sender: pressed on one emulated phone, received by
/// another standing in for the registrar, which reads the press body like any x-buttons document.
@Suite(.serialized) struct PhonePressTests {
    @Test func pressSendsTheSeizeMessageThroughTheSender() async throws {
        let registrar = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try registrar.start()
        defer { registrar.stop() }
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let phonePort = try #require(phone.boundAddresses.first?.port)
        _ = try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=1\r\nn=*602co1\r\na=seize\r\nl=(co1)\r\n", branch: "p1"), udpPort: phonePort)

        let sender = SIPSender(SenderConfiguration(timers: SIPTimers(t1: 0.1, t2: 0.4)))
        let target = SIPTarget(user: nil, host: "127.0.0.1", port: try #require(registrar.boundAddresses.first?.port), transport: .udp)
        let outcome = try await phone.press("1", via: sender, to: target)
        try await sender.shutdown()
        guard case .message(let result) = outcome else { Issue.record("a=seize must send the press MESSAGE, got \(outcome)"); return }
        #expect(result.statusCode == 200)
        #expect(result.request.header("proxy-require") == "buttons")
        #expect(result.request.to?.user == "*602co1")
        let seen = try #require(registrar.keys["1"])
        #expect(seen.action == "seize")
        #expect(seen.treatment?.hasPrefix("<urn:uuid:") == true)
    }
}

/// An initial-state MESSAGE for an expansion module passes the 1500-byte MTU (and NIO's 2 KiB
/// default read): the phone must still read it whole.
@Suite struct PhoneLargeDatagramTests {
    @Test func aFortyKeyDocumentOverUDPIsReadWhole() throws {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.0.1:0")]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let body = (1...40).map { "k=\($0)\r\nc=on\r\nl=Extension \($0) of the sales team\r\nn=2\($0)\r\n" }.joined(separator: "\r\n")
        #expect(body.utf8.count > 2048)
        let r = try PhoneWire.exchange(PhoneWire.message(user: "44", body: body, branch: "big1"), udpPort: port)
        #expect(r.statusCode == 200)
        #expect(phone.keys.count == 40)
        #expect(phone.keys["40"] == KeyState(light: "on", destination: "240", label: "Extension 40 of the sales team"))
    }
}
