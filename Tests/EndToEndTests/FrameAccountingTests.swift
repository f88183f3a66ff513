import Foundation
import Testing
import TestSupport

/// "Never silence about what was not read": every frame of every bundled capture is either read
/// (SIP, a keepalive, a segment of a SIP connection) or counted under a reason, and `summary` and
/// `messages` say so.
@Suite struct FrameAccountingTests {
    static var captureFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? []
        return names.filter { ($0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng")) && $0 != "not-a-capture.pcap" }.sorted()
    }

    static func summaryJSON(_ name: String) throws -> [String: Any] {
        let r = try CommandRunner.buttonscope(["summary", "--json", Paths.capture(name)])
        #expect(r.status == 0, "\(name): \(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("frames = frames read + frames not read, on every bundled capture", arguments: captureFiles)
    func everyFrameIsAccountedFor(_ name: String) throws {
        let o = try Self.summaryJSON(name)
        let frames = try #require(o["frames"] as? Int)
        let read = try #require(o["frames_read"] as? Int)
        let notRead = try #require(o["not_read"] as? [String: Any])
        let unread = try #require(notRead["frames"] as? Int)
        let reasons = try #require(notRead["reasons"] as? [[String: Any]])
        #expect(frames == read + unread, "\(name): \(frames) frames, \(read) read + \(unread) not read")
        #expect(reasons.reduce(0) { $0 + ($1["frames"] as? Int ?? 0) } == unread, "\(name): reasons do not add up")
        // The safety net must stay empty: every layer says why it gave up.
        #expect(!reasons.contains { ($0["reason"] as? String)?.hasPrefix("not decoded") == true }, "\(name): \(reasons)")
        for r in reasons {
            let first = try #require(r["first_frame"] as? Int)
            #expect(first >= 1 && first <= frames, "\(name): first frame \(first) of \(r)")
        }
        if (o["sip_messages"] as? Int ?? 0) > 0 { #expect(read > 0, "\(name): SIP found but no frame read") }
    }

    /// The no-SIP capture's reasons, exactly as its manifest lists them.
    @Test func noSIPCaptureSaysWhatItHeld() throws {
        let name = "no-sip-mixed.pcap"
        let facts = try #require(try Manifest.entries()[name])
        let expected = try #require(facts["not_read"] as? [String: Int])
        let o = try Self.summaryJSON(name)
        let frames = try #require(o["frames"] as? Int)
        #expect(frames == facts["frames"] as? Int)
        #expect(o["sip_messages"] as? Int == 0)
        #expect(o["frames_read"] as? Int == 0)
        let reasons = try #require((o["not_read"] as? [String: Any])?["reasons"] as? [[String: Any]])
        var got: [String: Int] = [:]
        for r in reasons { got[r["reason"] as? String ?? "?"] = r["frames"] as? Int }
        #expect(got == expected)

        let text = try CommandRunner.buttonscope(["summary", Paths.capture(name)])
        #expect(text.status == 0)
        #expect(text.lines.count > 1 && text.lines[1].hasPrefix("\(frames) frames, none of them SIP: "), "\(text.stdout)")
        #expect(!text.stdout.contains("0 SIP messages"))
        for (reason, n) in expected { #expect(text.lines[1].contains("\(n) \(reason) (first frame "), "\(reason)") }

        let messages = try CommandRunner.buttonscope(["messages", Paths.capture(name)])
        #expect(messages.status == 0)
        #expect(messages.stdout.contains("0 SIP messages in \(frames) frames"))
        #expect(messages.stdout.contains("\(frames) frames, none of them SIP: "))
        let json = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
        #expect(json.status == 0)
        #expect(json.stdout.isEmpty)
        #expect(json.stderr.contains("buttonscope: \(frames) frames, none of them SIP: "))
    }

    /// A capture that is mostly SIP-free noise: the footer and summary name each kind of noise.
    @Test func mixedCaptureNamesTheNoise() throws {
        let summary = try CommandRunner.buttonscope(["summary", Paths.capture("noise-mixed.pcap")])
        let line = try #require(summary.lines.first { $0.hasPrefix("Not read: ") })
        for part in ["ARP", "DNS on UDP 53", "RTP/RTCP-like UDP", "HTTP on TCP 80"] { #expect(line.contains(part), "\(part) in \(line)") }
        #expect(summary.lines[1] == "47 frames, 6 SIP messages, 3 transactions")
        let messages = try CommandRunner.buttonscope(["messages", Paths.capture("noise-mixed.pcap")])
        #expect(messages.lines.contains(line))
    }

    /// Where every frame is SIP nothing is added: the summary's head is what it always was.
    @Test func allSIPCaptureHasNoNotReadLine() throws {
        let summary = try CommandRunner.buttonscope(["summary", Paths.capture("sipsak-led-udp.pcap")])
        #expect(!summary.stdout.contains("Not read"))
        #expect(!summary.stdout.contains("none of them SIP"))
        let messages = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("sipsak-led-udp.pcap")])
        #expect(messages.stderr.isEmpty)
    }
}
