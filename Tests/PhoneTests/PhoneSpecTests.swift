import Buttons
import Foundation
import NIOCore
import NIOPosix
import Phone
import Sender
import SIP
import Testing
import TestSupport

/// The emulated phone against real SIPp peers on 127.0.8.0/24, each test quoting the seed or
/// RFC sentence it follows: what a press sends (INVITE, MESSAGE, nothing), one instance URN,
/// requests leaving from the listening socket, and a 400 for a short UDP request.
@Suite(.serialized) struct PhoneSpecTests {
    static let instance = "urn:uuid:b255d09d-7a6e-4ad3-9ffb-eeacc9f87d52"
    static let timers = SIPTimers(t1: 0.1, t2: 0.4)

    static func sipp() throws -> String { try #require(CommandRunner.tool("sipp"), "sipp is required (apt-get install sip-tester)") }

    static func startPhone(line: String = "44qsudyt", onEvent: @escaping @Sendable (PhoneEvent) -> Void = { _ in }) throws -> (EmulatedPhone, Int) {
        let phone = EmulatedPhone(.init(user: "44", listen: [try PhoneListenAddress(parsing: "udp:127.0.8.1:0")],
                                        instance: instance, line: line), onEvent: onEvent)
        try phone.start()
        return (phone, try #require(phone.boundAddresses.first?.port))
    }

    /// Hands the phone a document the way a registrar does (a MESSAGE from 127.0.8.20).
    static func tell(_ port: Int, _ body: String, branch: String) throws -> SIPMessage {
        try PhoneWire.exchange(PhoneWire.message(user: "44", body: body, branch: branch), to: "127.0.8.1", port: port, from: "127.0.8.20")
    }

    static func target(_ peer: SIPpPeer) -> SIPTarget { SIPTarget(user: nil, host: peer.address, port: peer.port, transport: .udp) }

    /// Polls without blocking a thread of the cooperative pool (the phone's calls run there).
    static func waitFor(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return true
    }

    static func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return true
    }

    /// One message out of SIPp's trace: the one whose start line begins with `start`.
    static func traced(_ trace: String, _ start: String) -> String? {
        trace.components(separatedBy: "\n\n").first { $0.contains("\n" + start) || $0.hasPrefix(start) }
    }

    // Seed: "Contact: <sip:44@172.20.25.101:2048;transport=tls;line=44qsudyt>; +sip.instance=\"<urn:uuid:…>\""
    // PROTOCOL.md: "The MESSAGE goes to the registered contact (with its line= parameter)."
    // Seed: the press "k=1 a=seize t=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>" carries the device's UUID.
    @Test func registerLeavesFromTheListeningSocketAndTheRegistrarsDocumentComesBack() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        // captures/real's registrar: 200 with Require: buttons, then a document to the address
        // the REGISTER came from (as a registrar honouring rport does).
        let registrar = try SIPpPeer(scenario: Paths.capture("real/scenarios/registrar.xml"), sipp: sipp, address: "127.0.8.2", calls: 1,
                                     extra: ["-set", "docs", "1", "-set", "require_name", "Require", "-set", "subject", "yes", "-set", "presses", "no"],
                                     files: ["doc1.txt": "k=4\r\nl=DND\r\nn=*78\r\na=message\r\n"])
        defer { registrar.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-phone-uas.xml"), sipp: sipp, address: "127.0.8.4", calls: 1)
        defer { uas.stop() }
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        let registered = try await phone.register(via: sender, to: Self.target(registrar))
        #expect(registered.statusCode == 200)
        #expect(registered.response.header("require") == "buttons")
        // Only a REGISTER that left from the listening port brings the document to the phone.
        #expect(await Self.waitFor { phone.keys["4"]?.destination == "*78" }, "the registrar's document never reached the listening socket")
        try await registrar.exited()
        let press = try await phone.press("4", via: sender, to: Self.target(uas))
        guard case .message(let answer) = press else { Issue.record("a=message must send the press MESSAGE, got \(press)"); return }
        #expect(answer.statusCode == 200)
        try await sender.shutdown()
        try await uas.exited()

        let register = try #require(Self.traced(try registrar.trace(), "REGISTER "))
        #expect(register.contains("Via: SIP/2.0/UDP 127.0.8.1:\(port);"), "\(register)")
        #expect(register.contains("Contact: <sip:44@127.0.8.1:\(port);line=44qsudyt>;+sip.instance=\"<\(Self.instance)>\""), "\(register)")
        #expect(register.contains("Supported: buttons"))
        let pressed = try #require(Self.traced(try uas.trace(), "MESSAGE sip:44@127.0.8.4 "))
        #expect(pressed.contains("Via: SIP/2.0/UDP 127.0.8.1:\(port);"))
        #expect(pressed.contains("To: <sip:*78@127.0.8.4>"))
        #expect(pressed.contains("Proxy-Require: buttons"))
        #expect(pressed.contains("t=<\(Self.instance)>"), "one instance URN per device, as in the REGISTER: \(pressed)")
    }

    // "Every press gets a new t=" was the bug: the seed's two presses from 404 both carry
    // t=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>.
    @Test func everyPressCarriesTheSameInstance() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-phone-uas.xml"), sipp: sipp, address: "127.0.8.4", calls: 2)
        defer { uas.stop() }
        #expect(try Self.tell(port, "k=1\r\nn=*602co1\r\na=seize\r\nl=(co1)\r\n\r\nk=2\r\nn=*603co2\r\na=release\r\n", branch: "inst1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        for key in ["1", "2"] {
            guard case .message(let r) = try await phone.press(key, via: sender, to: Self.target(uas)) else { Issue.record("no MESSAGE"); return }
            #expect(r.statusCode == 200)
        }
        try await sender.shutdown()
        try await uas.exited()
        let trace = try uas.trace()
        #expect(trace.components(separatedBy: "t=<\(Self.instance)>").count - 1 == 2, "\(trace)")
        #expect(trace.contains("k=1\r\na=seize\r\n") && trace.contains("k=2\r\na=release\r\n"))
    }

    // Seed: "If the user would pick up the call, the device would send out an INVITE request that
    // dials *6013 in the domain of the registrar." The call ends with BYE on a second press.
    @Test func anInviteKeyDialsTheNumberInTheRegistrarsDomainAndASecondPressSendsBye() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-uas-invite-answer.xml"), sipp: sipp, address: "127.0.8.2", calls: 1)
        defer { uas.stop() }
        #expect(try Self.tell(port, "k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n", branch: "inv1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        guard case .calling(let call) = try await phone.press("3", via: sender, to: Self.target(uas)) else { Issue.record("a=invite must call"); return }
        let answer = try await call.answer()
        #expect(answer.statusCode == 200)
        #expect(answer.provisional.map(\.statusCode) == [180])
        guard case .hungUp(.bye(let bye)) = try await phone.press("3", via: sender, to: Self.target(uas)) else { Issue.record("the second press must send BYE"); return }
        #expect(bye.statusCode == 200)
        try await sender.shutdown()
        try await uas.exited()
        let trace = try uas.trace()
        let invite = try #require(Self.traced(trace, "INVITE "), "\(trace)")
        #expect(invite.contains("INVITE sip:*6013@127.0.8.2 SIP/2.0"))
        #expect(invite.contains("Via: SIP/2.0/UDP 127.0.8.1:\(port);"))
        #expect(invite.contains("Content-Type: application/sdp"))
        #expect(Self.traced(trace, "ACK sip:uas@127.0.8.2:\(uas.port) ") != nil, "the 2xx is acknowledged at its Contact: \(trace)")
        #expect(Self.traced(trace, "BYE sip:uas@127.0.8.2:\(uas.port) ") != nil)
    }

    // RFC 3261 §15.1.2: "A UAS core receiving a BYE request for an existing dialog MUST follow
    // the procedures of Section 12.2.2 to process the request. Once done, the UAS SHOULD terminate
    // the session ... and MUST generate a 2xx response to the BYE". The far end hangs up first: the
    // phone answers 200, the call is over, and a BYE for no call of its own gets 481.
    @Test func aByeFromTheFarEndIsAnswered200AndEndsTheCall() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-uas-invite-far-hangup.xml"), sipp: sipp, address: "127.0.8.2", calls: 1)
        defer { uas.stop() }
        #expect(try Self.tell(port, "k=3\r\nl=42\r\nc=pickup\r\nn=*6013\r\na=invite\r\n", branch: "inv9").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        guard case .calling(let call) = try await phone.press("3", via: sender, to: Self.target(uas)) else { Issue.record("a=invite must call"); return }
        #expect(try await call.answer().statusCode == 200)
        try await uas.exited()   // SIPp fails unless its BYE got a 200
        #expect(call.isOver, "the far end's BYE ends the call")
        let trace = try uas.trace()
        #expect(trace.contains("BYE sip:"), "\(trace)")
        try await sender.shutdown()
    }

    // RFC 3261 §9.1: "a CANCEL request SHOULD NOT be sent to cancel an INVITE until a provisional
    // response is received"; the CANCEL's branch is the INVITE's, and the 487 is acknowledged.
    @Test func aSecondPressWhileRingingCancels() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-uas-invite-cancel.xml"), sipp: sipp, address: "127.0.8.2", calls: 1)
        defer { uas.stop() }
        #expect(try Self.tell(port, "k=3\r\nl=42\r\nc=pickup\r\nn=*6013\r\na=invite\r\n", branch: "can1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        let rang = ChangeCounter()
        guard case .calling = try await phone.press("3", via: sender, to: Self.target(uas), onProvisional: { _ in rang.add() }) else {
            Issue.record("a=invite must call"); return
        }
        #expect(await Self.waitFor { rang.count > 0 })
        guard case .hungUp(.cancelled(let cancel, let invite)) = try await phone.press("3", via: sender, to: Self.target(uas)) else {
            Issue.record("a press while ringing must CANCEL"); return
        }
        #expect(cancel.statusCode == 200)
        #expect(invite?.statusCode == 487)
        try await sender.shutdown()
        try await uas.exited()
        let trace = try uas.trace()
        let inviteText = try #require(Self.traced(trace, "INVITE "))
        let cancelText = try #require(Self.traced(trace, "CANCEL sip:*6013@127.0.8.2 "), "\(trace)")
        let branch = try #require(inviteText.range(of: "branch=").map { inviteText[$0.upperBound...].prefix { $0 != ";" && $0 != "\r" && $0 != "\n" } })
        #expect(cancelText.contains("branch=\(branch)"))
        #expect(Self.traced(trace, "ACK sip:*6013@127.0.8.2 ")?.contains("branch=\(branch)") == true, "the 487's ACK shares the INVITE's branch")
    }

    // RFC 3261 §17.1.1.3: a final response of 300–699 is acknowledged by the transaction (same branch).
    @Test func aBusyAnswerIsAcknowledgedAndEndsTheCall() async throws {
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-uas-invite-busy.xml"), sipp: sipp, address: "127.0.8.2", calls: 1)
        defer { uas.stop() }
        #expect(try Self.tell(port, "k=5\r\nn=2000\r\n", branch: "busy1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        guard case .calling(let call) = try await phone.press("5", via: sender, to: Self.target(uas)) else { Issue.record("the default action is invite"); return }
        #expect(try await call.answer().statusCode == 486)
        guard case .alreadyEnded(let why) = try await call.hangUp() else { Issue.record("a failed call has nothing to end"); return }
        #expect(why.contains("486"))
        #expect(!phone.hasCall(on: "5"), "the key's call is over: a new press dials again")
        try await sender.shutdown()
        try await uas.exited()
        let trace = try uas.trace()
        let invite = try #require(Self.traced(trace, "INVITE "))
        let branch = try #require(invite.range(of: "branch=").map { invite[$0.upperBound...].prefix { $0 != ";" && $0 != "\r" && $0 != "\n" } })
        let ack = try #require(Self.traced(trace, "ACK sip:2000@127.0.8.2 "), "\(trace)")
        #expect(ack.contains("branch=\(branch)") && ack.contains("CSeq:") && ack.contains(" ACK"))
    }

    // Seed: "If the Number is not available, the device will not perform any action."
    @Test func aKeyWithoutANumberSendsNothing() async throws {
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let listener = try LoopbackWire.Recorder(address: "127.0.8.5")
        defer { listener.stop() }
        #expect(try Self.tell(port, "k=1\r\nc=on\r\nl=Night\r\n\r\nk=2\r\na=message\r\nl=Msg\r\n", branch: "none1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        let target = SIPTarget(user: nil, host: "127.0.8.5", port: listener.port, transport: .udp)
        for key in ["1", "2", "9"] {
            guard case .nothing(let why) = try await phone.press(key, via: sender, to: target) else { Issue.record("key \(key) has no n=: nothing"); continue }
            #expect(why.contains("will not perform any action"))
        }
        try await sender.shutdown()
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(listener.count == 0, "nothing may be sent for a key without a number")
    }

    // mod_snom's 8th argument becomes n= ("api+uuid_transfer abc 9001"): RFC 3261 §25.1's
    // user part has no room for a space, so it is escaped, never written raw.
    @Test func modSnomsActionTextIsEscapedAsAURIUserPart() async throws {
        #expect(SIPUserPart.escape("api+uuid_transfer abc 9001") == "api+uuid_transfer%20abc%209001")
        #expect(SIPUserPart.escape("*6013") == "*6013")
        #expect(SIPUserPart.escape("a<b>\"c\"@d") == "a%3Cb%3E%22c%22%40d")
        let sipp = try Self.sipp()
        let (phone, port) = try Self.startPhone()
        defer { phone.stop() }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-phone-uas.xml"), sipp: sipp, address: "127.0.8.2", calls: 1)
        defer { uas.stop() }
        // Exactly what `bind-key 2 on DND 44 … internal message api+uuid_transfer abc 9001` sends (LF, as mod_snom).
        #expect(try Self.tell(port, "k=2\nc=on\nl=DND\nn=api+uuid_transfer abc 9001\na=message\n", branch: "esc1").statusCode == 200)
        let sender = phone.makeSender(SenderConfiguration(timers: Self.timers))
        guard case .message(let r) = try await phone.press("2", via: sender, to: Self.target(uas)) else { Issue.record("a=message sends MESSAGE"); return }
        #expect(r.statusCode == 200, "SIPp must parse the request")
        try await sender.shutdown()
        try await uas.exited()
        let message = try #require(Self.traced(try uas.trace(), "MESSAGE "))
        #expect(message.contains("To: <sip:api+uuid_transfer%20abc%209001@127.0.8.2>"), "\(message)")
        #expect(!message.contains("uuid_transfer abc"))
    }

    // RFC 3261 §18.3: "If the transport packet ends before the end of the message body, this is
    // considered an error. … If the message is a request, the element SHOULD generate a 400 (Bad Request) response."
    @Test func aUDPRequestShorterThanItsContentLengthIsAnswered400() throws {
        let events = EventLog()
        let (phone, port) = try Self.startPhone { events.add($0) }
        defer { phone.stop() }
        var bytes = PhoneWire.message(user: "44", body: "k=3\r\nc=on\r\n", branch: "short1")
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Content-Length: 11", with: "Content-Length: 100")
        bytes = Array(text.utf8)
        let answer = try PhoneWire.exchange(bytes, to: "127.0.8.1", port: port, from: "127.0.8.20")
        #expect(answer.statusCode == 400)
        #expect(answer.header("warning")?.contains("Content-Length 100 but only 11 body bytes") == true)
        #expect(phone.keys["3"] == nil, "the short document is not applied")
        #expect(Self.waitUntil(1) { events.lines.contains { $0.contains("answered 400 Bad Request (RFC 3261 §18.3)") } }, "\(events.lines)")
        #expect(!events.lines.contains { $0.contains("discarded") })
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []
    func add(_ event: PhoneEvent) {
        let line: String
        switch event {
        case .dropped(let reason, _, _): line = "dropped: " + reason
        case .answered(let method, let status, _, _, _): line = "answered \(method) \(status)"
        default: line = "\(event)"
        }
        lock.withLock { all.append(line) }
    }
    var lines: [String] { lock.withLock { all } }
}

/// Datagrams between our own loopback addresses (127.0.8.0/24).
enum LoopbackWire {
    /// A UDP socket that only counts what arrives.
    final class Recorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        private var channel: Channel?
        private let lock = NSLock()
        private var received = 0
        var port: Int { channel?.localAddress?.port ?? 0 }
        var count: Int { lock.withLock { received } }

        init(address: String) throws {
            channel = try DatagramBootstrap(group: group).channelInitializer { $0.pipeline.addHandler(self) }.bind(host: address, port: 0).wait()
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { lock.withLock { received += 1 } }
        func stop() {
            try? channel?.close().wait()
            try? group.syncShutdownGracefully()
        }
    }
}
