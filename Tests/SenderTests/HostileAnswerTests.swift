import Foundation
import SIP
import Testing
@testable import Sender
import TestSupport

/// Issue 16, item 8: a UAS that answers 100 Trying forever ends as "only provisional answers", not
/// "no answer"; a UDP answer shorter than its Content-Length is malformed (RFC 3261 §18.3), not a
/// 200; replay's serializer keeps header bytes that are not UTF-8.
@Suite(.serialized) struct HostileAnswerTests {
    @Test func onlyProvisionalAnswersAreNamedSo() async throws {
        let peer = try LoopbackUDPPeer(answer: 100)
        defer { peer.stop() }
        let timers = SIPTimers(t1: 0.02, t2: 0.16)
        let sender = SIPSender(SenderConfiguration(timers: timers))
        let target = SIPTarget(user: "44", host: "127.0.0.1", port: peer.port, transport: .udp)
        do {
            _ = try await sender.send(.message(body: Array("k=1\r\n".utf8)), to: target)
            Issue.record("100 Trying forever produced a final answer")
        } catch let e as SenderError {
            guard case .onlyProvisional(_, .udp, let seconds, 100, let count) = e else { Issue.record("wrong error \(e)"); return }
            #expect(seconds == timers.timerF)
            #expect(count >= 1)
            #expect(e.description.contains("only provisional answers"))
            #expect(!e.description.contains("may drop it silently"))
        }
        try await sender.shutdown()
    }

    @Test func aDatagramShorterThanItsContentLengthIsNoAnswer() {
        let short = Array("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-x\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: 50\r\n\r\nabc".utf8)
        #expect(DatagramMessageReader.read(short) == nil)
        let exact = Array("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-x\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: 3\r\n\r\nabcdef".utf8)
        #expect(DatagramMessageReader.read(exact)?.body == Array("abc".utf8))
    }

    @Test func headerBytesThatAreNotUTF8SurviveSerialization() throws {
        let raw = Array("MESSAGE sip:44@127.0.0.1 SIP/2.0\r\nX-Raw: a".utf8) + [0x9b, 0xff] + Array("b\r\nCall-ID: c\r\nContent-Length: 0\r\n\r\n".utf8)
        let end = try #require(SIPHeaderParser.headerEnd(raw, from: 0))
        var message = try #require(SIPHeaderParser.parse(raw[0..<end]))
        #expect(message.header("x-raw") == "a\u{fffd}\u{fffd}b")
        let out = SIPSerializer.serialize(message)
        #expect(out.count >= 4 && String(decoding: out, as: UTF8.self).contains("X-Raw"))
        #expect(Self.contains(out, Array("X-Raw: a".utf8) + [0x9b, 0xff] + Array("b\r\n".utf8)))
        // A value changed on purpose goes out as the new text.
        if let i = message.headers.firstIndex(where: { $0.key == "x-raw" }) { message.headers[i].value = "new" }
        #expect(Self.contains(SIPSerializer.serialize(message), Array("X-Raw: new\r\n".utf8)))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle { return true }
        return false
    }
}
