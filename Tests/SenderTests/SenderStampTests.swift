import SIP
import Testing
@testable import Sender
import TestSupport

/// What goes on the wire: the target, fresh transaction identifiers, our Via, Content-Length.
struct SenderStampTests {
    @Test func targetsParseWithRFCDefaultPorts() throws {
        let udp = try SIPTarget.parse("sip:44@192.0.2.10").get()
        #expect(udp.user == "44" && udp.host == "192.0.2.10" && udp.port == 5060 && udp.transport == .udp)
        let tcp = try SIPTarget.parse("sip:44@192.0.2.10:5070;transport=tcp").get()
        #expect(tcp.port == 5070 && tcp.transport == .tcp)
        let tls = try SIPTarget.parse("sip:44@phone.lab;transport=TLS").get()
        #expect(tls.port == 5061 && tls.transport == .tls)
        #expect(try SIPTarget.parse("sips:44@phone.lab").get().transport == .tls)
        #expect(try SIPTarget.parse("sip:44@[::1]:5062").get().host == "::1")
        for bad in ["sip:44@host;transport=sctp", "sip:44@host:99999", "sip:44@host:abc", "tel:+4930", "sip:"] {
            if case .success(let t) = SIPTarget.parse(bad) { Issue.record("\(bad) parsed as \(t)") }
        }
    }

    private func captured() -> SIPMessage {
        let text = "MESSAGE sip:44@10.0.0.44:5060;line=abc SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKold\r\n"
            + "From: \"PBX\" <sip:44@pbx.example>;tag=oldtag\r\nTo: <sip:44@pbx.example>\r\nCall-ID: old@pbx\r\nCSeq: 101 MESSAGE\r\n"
            + "Subject: buttons\r\nContent-Type: application/x-buttons\r\nContent-Length: 99\r\n\r\n"
        var m = SIPHeaderParser.parse(Array(text.utf8))!
        m.body = Array("k=1\nc=on\nl=A\n\n".utf8)
        return m
    }

    @Test func aReplayedRequestIsANewTransactionForTheTargetWithTheBodyKept() throws {
        let original = captured()
        let target = try SIPTarget.parse("sip:44@127.0.0.1:5062").get()
        var rng = SystemRandomNumberGenerator()
        let id = TransactionIdentity.fresh(cseq: 7, using: &rng)
        let (message, bytes) = RequestStamper.stamp(OutgoingRequest(replaying: original), target: target,
                                                    local: .init(host: "127.0.0.1", port: 40000), identity: id)
        #expect(message.requestURI == "sip:44@127.0.0.1:5062")
        #expect(message.header("to") == "<sip:44@127.0.0.1>")
        #expect(message.topViaBranch == id.branch && id.branch.hasPrefix("z9hG4bK") && id.branch != "z9hG4bKold")
        #expect(message.headerValues("via") == ["SIP/2.0/UDP 127.0.0.1:40000;branch=\(id.branch);rport"])
        #expect(message.callID == id.callID && message.callID != "old@pbx")
        #expect(message.fromTag == id.fromTag && message.header("from")?.hasPrefix("\"PBX\" <sip:44@pbx.example>") == true)
        #expect(message.cseq?.number == 7 && message.cseq?.method == "MESSAGE")
        #expect(message.header("subject") == "buttons")
        // Re-read the bytes as a receiver would: the body is byte for byte, the length computed.
        let end = try #require(SIPHeaderParser.headerEnd(bytes, from: 0))
        let reread = try #require(SIPHeaderParser.parse(bytes[0..<end]))
        #expect(Array(bytes[end...]) == original.body)
        #expect(reread.declaredContentLength == .value(original.body.count))
        #expect(reread.headers.filter { $0.key == "content-length" }.count == 1)
    }

    @Test func keepContentLengthReproducesTheCapturedMistake() throws {
        let target = try SIPTarget.parse("sip:44@127.0.0.1").get()
        var rng = SystemRandomNumberGenerator()
        let (_, bytes) = RequestStamper.stamp(OutgoingRequest(replaying: captured(), keepContentLength: true), target: target,
                                              local: .init(host: "127.0.0.1", port: 1), identity: .fresh(cseq: 1, using: &rng))
        let end = try #require(SIPHeaderParser.headerEnd(bytes, from: 0))
        #expect(SIPHeaderParser.parse(bytes[0..<end])?.declaredContentLength == .value(99))
    }

    @Test func everyRequestGetsFreshIdentifiers() {
        var rng = SystemRandomNumberGenerator()
        let ids = (0..<200).map { TransactionIdentity.fresh(cseq: UInt32($0), using: &rng) }
        #expect(Set(ids.map(\.branch)).count == 200)
        #expect(Set(ids.map(\.callID)).count == 200)
        #expect(Set(ids.map(\.fromTag)).count == 200)
    }

    @Test func theSerializerComputesContentLengthFromTheBodyAndRefusesHeaderInjection() {
        let m = SIPMessage(startLine: .request(method: "MESSAGE", uri: "sip:a@b"),
                           headers: [SIPHeader(name: "l", value: "5"), SIPHeader(name: "Subject", value: "x\r\nEvil: 1")],
                           body: Array("k=1\r\n\r\n".utf8))
        let text = String(decoding: SIPSerializer.serialize(m), as: UTF8.self)
        #expect(text == "MESSAGE sip:a@b SIP/2.0\r\nl: 7\r\nSubject: x  Evil: 1\r\n\r\nk=1\r\n\r\n")
        let kept = String(decoding: SIPSerializer.serialize(m, contentLength: .asWritten), as: UTF8.self)
        #expect(kept.contains("l: 5\r\n"))
    }
}
