import Buttons
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Phone
import SIP
import Testing
import TestSupport

/// Issue 16, item 6: the emulated phone has limits. Keys per phone and per document, body size,
/// connections at once (with an idle timeout) and partial messages in total are bounded, each
/// limit reached is reported, and a valid MESSAGE is still answered within 100 ms under each attack.
/// Addresses in 127.0.6.0/24.
@Suite(.serialized) struct PhoneLimitsTests {
    static let host = "127.0.6.1"

    static func phone(_ limits: PhoneLimits = PhoneLimits(), events: NIOLockedValueBox<[String]>? = nil) throws -> (EmulatedPhone, udp: Int, tcp: Int) {
        var configuration = EmulatedPhone.Configuration(user: "44", listen: [try PhoneListenAddress(parsing: "udp:\(host):0"),
                                                                              try PhoneListenAddress(parsing: "tcp:\(host):0")])
        configuration.limits = limits
        let phone = EmulatedPhone(configuration) { event in
            if case .dropped(let reason, _, _) = event { events?.withLockedValue { $0.append(reason) } }
        }
        try phone.start()
        return (phone, phone.boundAddresses[0].port, phone.boundAddresses[1].port)
    }

    /// A valid MESSAGE over UDP is answered 200, and quickly: the best of three round trips under
    /// 100 ms (the best, so one scheduling hiccup on a loaded machine does not decide).
    static func stillAnswers(udpPort: Int, _ tag: String) throws {
        var best = Double.infinity
        for i in 0..<3 {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            defer { try? group.syncShutdownGracefully() }
            let promise = group.next().makePromise(of: [UInt8].self)
            let channel = try DatagramBootstrap(group: group)
                .channelInitializer { $0.pipeline.addHandler(PhoneWire.Collector(promise: promise)) }
                .bind(host: host, port: 0).wait()
            defer { try? channel.close().wait() }
            let remote = try SocketAddress(ipAddress: host, port: udpPort)
            let request = PhoneWire.message(user: "44", body: "k=1\r\nc=on\r\nl=Sentinel\r\n", branch: "\(tag)-\(i)")
            group.next().scheduleTask(in: .seconds(2)) { promise.fail(TestFailure("no answer within 2 s")) }
            let start = Date()
            try channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: request))).wait()
            let answer = try PhoneWire.parse(promise.futureResult.wait())
            best = min(best, Date().timeIntervalSince(start))
            #expect(answer.statusCode == 200)
        }
        #expect(best < 0.1, "\(tag): the best round trip took \(best) s")
    }

    /// One datagram to the phone at `host`, the first datagram back (2 s at most).
    static func exchange(_ request: [UInt8], udpPort: Int) throws -> SIPMessage {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel = try DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { $0.pipeline.addHandler(PhoneWire.Collector(promise: promise)) }
            .bind(host: host, port: 0).wait()
        let remote = try SocketAddress(ipAddress: host, port: udpPort)
        try channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: request))).wait()
        group.next().scheduleTask(in: .seconds(2)) { promise.fail(TestFailure("no answer within 2 s")) }
        defer { try? channel.close().wait() }
        return try PhoneWire.parse(promise.futureResult.wait())
    }

    /// Bytes over one TCP connection; the first answer back (3 s at most, or the connection closed).
    static func streamExchange(_ chunks: [[UInt8]], port: Int) throws -> [SIPMessage] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel = try ClientBootstrap(group: group)
            .channelInitializer { $0.pipeline.addHandler(FirstAnswer(promise: promise)) }
            .connect(host: host, port: port).wait()
        for chunk in chunks { try channel.writeAndFlush(ByteBuffer(bytes: chunk)).wait() }
        group.next().scheduleTask(in: .seconds(3)) { promise.fail(TestFailure("no answer within 3 s")) }
        let bytes = try promise.futureResult.wait()
        try? channel.close().wait()
        return [try PhoneWire.parse(bytes)]
    }

    final class FirstAnswer: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<[UInt8]>
        var bytes: [UInt8] = []
        var done = false
        init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bytes += unwrapInboundIn(data).readableBytesView
            if !done, let end = SIPHeaderParser.headerEnd(bytes, from: 0) { done = true; promise.succeed(Array(bytes[..<end])) }
        }
        func channelInactive(context: ChannelHandlerContext) {
            if !done { done = true; promise.fail(TestFailure("the connection closed before an answer")) }
        }
    }

    static func manyKeys(_ count: Int, prefix: String) -> String {
        // One description per key, a blank line between (as the spec separates them).
        (0..<count).map { "k=\(prefix)\($0)\r\nc=on\r\n" }.joined(separator: "\r\n")
    }

    /// The 200 datagrams of ~3 400 new key names each (438 MB before), scaled down: the phone
    /// keeps at most `maxKeys`, says how many descriptions it ignored, and still answers.
    @Test func keysPerPhoneAndPerDocumentAreCapped() throws {
        let events = NIOLockedValueBox<[String]>([])
        let (phone, udp, _) = try Self.phone(events: events)
        defer { phone.stop() }
        for d in 0..<5 {
            let body = Self.manyKeys(3000, prefix: "d\(d)-")
            let r = try Self.exchange(PhoneWire.message(user: "44", body: body, branch: "keys-\(d)"), udpPort: udp)
            #expect(r.statusCode == 200)
        }
        #expect(phone.keys.count <= PhoneLimits().maxKeys)
        #expect(events.withLockedValue { $0 }.contains { $0.contains("key descriptions ignored") })
        try Self.stillAnswers(udpPort: udp, "after-keys")
        // Key 1 of the sentinel: an existing key may still change (it is one of the 256), or is
        // ignored when the panel is full, but the answer is 200 either way.
        #expect(phone.keys.count <= PhoneLimits().maxKeys)
    }

    /// A key name longer than a phone has is ignored; a body larger than a phone takes gets 413.
    @Test func longKeyNamesAndLargeBodies() throws {
        let (phone, udp, tcp) = try Self.phone()
        defer { phone.stop() }
        let long = String(repeating: "x", count: 100)
        #expect(try Self.exchange(PhoneWire.message(user: "44", body: "k=\(long)\r\nc=on\r\n\r\nk=2\r\nc=on\r\n", branch: "long"), udpPort: udp).statusCode == 200)
        #expect(phone.keys[long] == nil && phone.keys["2"]?.light == "on")
        let big = PhoneWire.message(user: "44", body: String(repeating: "l=x\r\n", count: 20_000), branch: "big", transport: "TCP")
        let answers = try Self.streamExchange([big], port: tcp)
        #expect(answers.first?.statusCode == 413)
    }

    /// Past `maxConnections` new connections are closed at once; idle ones after `idleTimeout`; the
    /// phone answers throughout.
    @Test func connectionsAreCappedAndIdleOnesClosed() throws {
        var limits = PhoneLimits()
        limits.maxConnections = 8
        limits.idleTimeout = .milliseconds(1500)
        let events = NIOLockedValueBox<[String]>([])
        let (phone, udp, tcp) = try Self.phone(limits, events: events)
        defer { phone.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        var channels: [Channel] = []
        for _ in 0..<12 {
            channels.append(try ClientBootstrap(group: group).connect(host: Self.host, port: tcp).wait())
        }
        try Self.stillAnswers(udpPort: udp, "during-connections")
        Thread.sleep(forTimeInterval: 0.2)
        let closedEarly = channels.filter { !$0.isActive }.count
        // At least the 4 beyond the limit (more only if the machine was so slow that idle ones went too).
        #expect(closedEarly >= 4, "\(closedEarly) of 12 closed at once")
        Thread.sleep(forTimeInterval: 3.0)
        #expect(channels.allSatisfy { !$0.isActive }, "idle connections must be closed after the idle timeout")
        let reasons = events.withLockedValue { $0 }
        #expect(reasons.filter { $0.contains("beyond the 8 open at once") }.count == 4)
        #expect(reasons.filter { $0.contains("idle for") }.count == 8)
        // Closed connections free their places: a new one is served.
        let answers = try Self.streamExchange([PhoneWire.message(user: "44", body: "k=3\r\nc=on\r\n", branch: "after-idle", transport: "TCP")],
                                                   port: tcp)
        #expect(answers.first?.statusCode == 200)
    }

    /// Connections each holding part of a body: past `maxPartialBytesTotal` for all of them together,
    /// the connection that grows it is closed (and reported); the phone answers throughout.
    @Test func partialMessagesAreBoundedInTotal() throws {
        var limits = PhoneLimits()
        limits.maxPartialBytesTotal = 256 << 10
        let events = NIOLockedValueBox<[String]>([])
        let (phone, udp, tcp) = try Self.phone(limits, events: events)
        defer { phone.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let head = Array(("MESSAGE sip:44@127.0.6.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.6.2:5099;branch=z9hG4bK-partial\r\n"
            + "From: <sip:pbx@127.0.6.2>;tag=p\r\nTo: <sip:44@127.0.6.1>\r\nCall-ID: partial\r\nCSeq: 1 MESSAGE\r\n"
            + "Content-Type: application/x-buttons\r\nContent-Length: 65000\r\n\r\n").utf8)
        var channels: [Channel] = []
        for _ in 0..<12 {
            let c = try ClientBootstrap(group: group).connect(host: Self.host, port: tcp).wait()
            try c.writeAndFlush(ByteBuffer(bytes: head + [UInt8](repeating: 0x61, count: 60_000))).wait()
            channels.append(c)
        }
        try Self.stillAnswers(udpPort: udp, "during-partials")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(events.withLockedValue { $0 }.contains { $0.contains("partial messages of all connections") })
        #expect(channels.contains { !$0.isActive })
        for c in channels { try? c.close().wait() }
    }

    /// `buttonscope phone` as a process under the attacks at once (datagrams of 3 400 new keys,
    /// 150 connections each sending a 1 MB body): its peak memory (VmHWM) stays under 100 MB and a
    /// valid MESSAGE is answered within 100 ms.
    @Test func thePhoneCommandStaysSmallUnderAttack() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let probeUDP = try DatagramBootstrap(group: group).bind(host: Self.host, port: 0).wait()
        let probeTCP = try ServerBootstrap(group: group).bind(host: Self.host, port: 0).wait()
        let udp = probeUDP.localAddress?.port ?? 0, tcp = probeTCP.localAddress?.port ?? 0
        try probeUDP.close().wait()
        try probeTCP.close().wait()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["phone", "--listen", "udp:\(Self.host):\(udp)", "--listen", "tcp:\(Self.host):\(tcp)", "--user", "44", "--json"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var ready = false
        for _ in 0..<40 where !ready {
            ready = (try? Self.exchange(PhoneWire.message(user: "44", body: "k=1\r\n", branch: "ready"), udpPort: udp)) != nil
        }
        #expect(ready)

        for d in 0..<40 {
            _ = try? Self.exchange(PhoneWire.message(user: "44", body: Self.manyKeys(3000, prefix: "p\(d)-"), branch: "flood-\(d)"), udpPort: udp)
        }
        let head = Array(("MESSAGE sip:44@127.0.6.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.6.2:5099;branch=z9hG4bK-big\r\n"
            + "From: <sip:pbx@127.0.6.2>;tag=p\r\nTo: <sip:44@127.0.6.1>\r\nCall-ID: big\r\nCSeq: 1 MESSAGE\r\n"
            + "Content-Type: application/x-buttons\r\nContent-Length: 1048576\r\n\r\n").utf8)
        let chunk = [UInt8](repeating: 0x61, count: 64 << 10)
        var channels: [Channel] = []
        for _ in 0..<150 {
            guard let c = try? ClientBootstrap(group: group).connect(host: Self.host, port: tcp).wait() else { continue }
            c.writeAndFlush(ByteBuffer(bytes: head), promise: nil)
            channels.append(c)
        }
        for _ in 0..<15 {
            for c in channels where c.isActive { c.writeAndFlush(ByteBuffer(bytes: chunk), promise: nil) }
        }
        try Self.stillAnswers(udpPort: udp, "phone-under-attack")
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") } ?? Int.max
        #expect(hwm < 100 * 1024, "the phone peaked at \(hwm) KB")
        for c in channels { try? c.close().wait() }
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
