import Foundation
import SIP
import Testing
import TestSupport

/// The CLI end to end on loopback: timeouts, refusals, the recording read back, bind-key bodies.
@Suite(.serialized) struct ReplayCommandTests {
    @Test func aPhoneThatNeverAnswersEndsWithinTimerFWithTheRealTimers() throws {
        let peer = try LoopbackUDPPeer(answer: nil)
        defer { peer.stop() }
        let run = try CommandRunner.buttonscope(["replay", Paths.capture("udp-fragments-out-of-order.pcap"), "--select", "7",
                                         "--to", "sip:44@127.0.0.1:\(peer.port)"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("no answer within 32 s (Timer F) after 11 transmissions"), "\(run.stdout)")
        #expect(run.seconds >= 32 && run.seconds < 36)
        #expect(peer.received.count == 11)
    }

    @Test func aRefusedTCPConnectionIsAClearErrorAtOnce() throws {
        let port = try FreePort.tcp()
        let run = try CommandRunner.buttonscope(["replay", Paths.capture("udp-fragments-out-of-order.pcap"),
                                         "--to", "sip:44@127.0.0.1:\(port);transport=tcp"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("127.0.0.1:\(port): connection refused"), "\(run.stdout)")
        #expect(run.seconds < 3)
    }

    @Test func theRecordingReadsBackAsTheSameMessages() throws {
        let peer = try LoopbackUDPPeer(answer: 200)
        defer { peer.stop() }
        let pcap = Paths.temporary("record.pcap")
        defer { try? FileManager.default.removeItem(atPath: pcap) }
        let run = try CommandRunner.buttonscope(["replay", Paths.capture("udp-fragments-out-of-order.pcap"),
                                         "--to", "sip:44@127.0.0.1:\(peer.port)", "--record", pcap, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let exchanges = try CommandRunner.ndjson(run.stdout).filter { $0["record"] as? String == "exchange" }
        let read = try CommandRunner.buttonscope(["messages", pcap, "--json"])
        #expect(read.status == 0)
        let messages = try CommandRunner.ndjson(read.stdout).filter { $0["record"] == nil }
        // Request, answer, request, answer: same Call-IDs as the replay reported, nothing else.
        #expect(messages.map { $0["method"] as? String ?? "\($0["status"] ?? "")" } == ["MESSAGE", "200", "MESSAGE", "200"])
        let callIDs = exchanges.compactMap { $0["call_id"] as? String }
        #expect(messages.compactMap { $0["call_id"] as? String } == [callIDs[0], callIDs[0], callIDs[1], callIDs[1]])
        #expect(messages.allSatisfy { ($0["diagnostics"] as? [Any])?.isEmpty == true })
        // What the peer received is exactly what the recording holds, body lengths included.
        let sentBodies = peer.received.compactMap { bytes -> Int? in
            guard let end = SIPHeaderParser.headerEnd(bytes, from: 0) else { return nil }
            return bytes.count - end
        }
        #expect(messages.filter { $0["method"] as? String == "MESSAGE" }.compactMap { $0["body_length"] as? Int } == sentBodies)
        #expect(sentBodies == [3031, 20])
    }

    /// PROTOCOL.md, "mod_snom, exactly": mod_snom's arguments, profile included, so 6, 7 and 8
    /// arguments as it counts them.
    @Test(arguments: [
        (["2", "on", "DND", "44", "127.0.0.1", "internal"], "k=2\nc=on\nl=DND\n\n"),
        (["2", "on", "DND", "44", "127.0.0.1", "internal", "message"], "k=2\nc=on\nl=DND\n\n"),
        (["2", "on", "DND", "44", "127.0.0.1", "internal", "message", "api+uuid_transfer abc 9001"],
         "k=2\nc=on\nl=DND\nn=api+uuid_transfer abc 9001\na=message\n"),
        (["3", "off", "Office Hours", "44", "127.0.0.1", "internal"], "k=3\nc=off\nl=Office Hours\n\n"),
    ])
    func bindKeyBodiesAreModSnomsByteForByte(arguments: [String], body: String) throws {
        let run = try CommandRunner.buttonscope(["bind-key"] + arguments + ["--dry-run", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = try #require(try CommandRunner.ndjson(run.stdout).first?["bytes"] as? String)
        let parts = bytes.components(separatedBy: "\r\n\r\n")
        try #require(parts.count >= 2)
        let sentBody = parts.dropFirst().joined(separator: "\r\n\r\n")
        #expect(sentBody == body)
        #expect(parts[0].contains("Content-Length: \(body.utf8.count)"))
        #expect(parts[0].hasPrefix("MESSAGE sip:44@127.0.0.1:5060 SIP/2.0"))
        #expect(parts[0].contains("From: <sip:44@127.0.0.1>;tag=") && parts[0].contains("To: <sip:44@127.0.0.1>"))
        #expect(!parts[0].contains("Subject"))
    }

    @Test func bindKeyCRLFUsesTheSpecsLineEndings() throws {
        let run = try CommandRunner.buttonscope(["bind-key", "2", "on", "DND", "44", "127.0.0.1", "internal", "--crlf", "--dry-run", "--json"])
        let bytes = try #require(try CommandRunner.ndjson(run.stdout).first?["bytes"] as? String)
        #expect(bytes.hasSuffix("\r\n\r\nk=2\r\nc=on\r\nl=DND\r\n\r\n"))
    }

    @Test func sendRefusesAnInvalidDocumentUnlessForced() throws {
        let refused = try CommandRunner.buttonscope(["send", "--to", "sip:44@127.0.0.1", "k=3 c=on", "--dry-run"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("entries-on-one-line"))
        let forced = try CommandRunner.buttonscope(["send", "--to", "sip:44@127.0.0.1", "k=3 c=on", "--dry-run", "--force"])
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("\r\n\r\nk=3 c=on\r\n"))
    }

    @Test func sendDeliversTheComposedDocument() throws {
        let peer = try LoopbackUDPPeer(answer: 200)
        defer { peer.stop() }
        let run = try CommandRunner.buttonscope(["send", "--to", "sip:44@127.0.0.1:\(peer.port)", "k=1", "c=on", "l=Night", "", "k=2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("200 OK"))
        let got = try #require(peer.received.first)
        let end = try #require(SIPHeaderParser.headerEnd(got, from: 0))
        #expect(String(decoding: got[end...], as: UTF8.self) == "k=1\r\nc=on\r\nl=Night\r\n\r\nk=2\r\n")
    }

    @Test func a404IsAFailedExchangeAndBadInputIsExitTwo() throws {
        let peer = try LoopbackUDPPeer(answer: 404)
        defer { peer.stop() }
        let run = try CommandRunner.buttonscope(["replay", Paths.capture("udp-fragments-out-of-order.pcap"), "--to", "sip:44@127.0.0.1:\(peer.port)"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("404 Not Found"))
        let bad = try CommandRunner.buttonscope(["replay", Paths.capture("udp-fragments-out-of-order.pcap"), "--to", "sip:44@127.0.0.1", "--select", "x-y"])
        #expect(bad.status == 2)
        let nothing = try CommandRunner.buttonscope(["replay", Paths.capture("spec-register-initial-udp.pcap"), "--to", "sip:44@127.0.0.1", "--phone", "99"])
        #expect(nothing.status == 2 && nothing.stderr.contains("nothing to replay"))
    }
}
