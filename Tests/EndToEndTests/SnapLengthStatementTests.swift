import Foundation
import Testing
import TestSupport

/// A MESSAGE cut by the capture's snap length before its Content-Type is no longer invisible:
/// `state`, `timeline`, `lint`, `why` and `summary` say that a document to phone 44 could not be
/// read because the capture kept only 200 bytes of each packet, and how to capture whole packets.
/// captures/snaplen-200.pcap: MESSAGE sip:44@… and its 200, both cut at 200 bytes in the To line.
@Suite struct SnapLengthStatementTests {
    static let file = Paths.capture("snaplen-200.pcap")
    static let sentence = "1 document to phone 44 could not be read because the capture kept only 200 bytes of each packet (frame 1)."
    static let command = "Capture whole packets: tcpdump -s 0 "

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func checkJSON(_ cut: Any?) throws {
        let c = try #require(cut as? [String: Any])
        #expect(c["snap_length"] as? Int == 200)
        #expect(c["documents"] as? Int == 1)
        let phones = try #require(c["phones"] as? [[String: Any]])
        #expect(phones.count == 1 && phones[0]["user"] as? String == "44" && phones[0]["frames"] as? [Int] == [1])
        #expect((c["command"] as? String)?.hasPrefix("tcpdump -s 0") == true)
    }

    @Test func state() throws {
        let r = try CommandRunner.buttonscope(["state", Self.file])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("No key was sent an x-buttons document"))
        #expect(r.lines == ["No x-buttons document could be read from this capture:", Self.sentence, r.lines.last ?? ""])
        #expect(r.lines.last?.hasPrefix(Self.command) == true)
        try Self.checkJSON(try Self.object(try CommandRunner.buttonscope(["state", "--json", Self.file]).stdout)["capture_truncated"])
        // Another phone's state has nothing to do with it.
        let other = try CommandRunner.buttonscope(["state", "--phone", "45", Self.file])
        #expect(other.stdout == "No key was sent an x-buttons document in this capture.\n")
    }

    @Test func timeline() throws {
        let r = try CommandRunner.buttonscope(["timeline", Self.file])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("No x-buttons documents in this capture"))
        #expect(r.lines.contains(Self.sentence))
        let json = try CommandRunner.buttonscope(["timeline", "--json", Self.file])
        #expect(json.stdout.isEmpty)
        #expect(json.stderr.contains("buttonscope: " + Self.sentence))
    }

    @Test func lint() throws {
        let r = try CommandRunner.buttonscope(["lint", Self.file])
        #expect(r.status == 1)
        #expect(!r.stdout.contains("No x-buttons documents"))
        #expect(r.stdout.contains("capture-truncated"))
        #expect(r.lines.contains("  " + Self.sentence))
        let json = try CommandRunner.buttonscope(["lint", "--json", Self.file])
        #expect(json.status == 1)
        let findings = try CommandRunner.ndjson(json.stdout)
        #expect(findings.count == 1)
        #expect(findings.first?["code"] as? String == "capture-truncated")
        #expect(findings.first?["frame"] as? Int == 1)
        #expect(findings.first?["user"] as? String == "44")
        #expect((findings.first?["message"] as? String)?.contains("tcpdump -s 0") == true)
    }

    @Test func why() throws {
        let r = try CommandRunner.buttonscope(["why", Self.file, "--phone", "44", "--key", "1"])
        #expect(r.status == 1)
        #expect(r.lines.contains("  " + Self.sentence))
        let json = try CommandRunner.buttonscope(["why", "--json", Self.file, "--phone", "44", "--key", "1"])
        try Self.checkJSON(try Self.object(json.stdout)["capture_truncated"])
    }

    @Test func summary() throws {
        let r = try CommandRunner.buttonscope(["summary", Self.file])
        #expect(r.status == 0)
        #expect(r.lines.contains(Self.sentence))
        #expect(r.lines.contains { $0.hasPrefix(Self.command) })
        try Self.checkJSON(try Self.object(try CommandRunner.buttonscope(["summary", "--json", Self.file]).stdout)["capture_truncated"])
    }

    /// A body cut part-way is still a document (lint's capture-truncated warning, as before): no
    /// "could not be read".
    @Test func aBodyCutPartWayIsStillRead() throws {
        for command in ["state", "summary", "timeline"] {
            let r = try CommandRunner.buttonscope([command, Paths.capture("snaplen-truncated.pcap")])
            #expect(!r.stdout.contains("could not be read"), "\(command)")
        }
    }
}
