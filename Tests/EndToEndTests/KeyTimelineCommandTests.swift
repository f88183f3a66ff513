import Foundation
import Testing
import TestSupport

/// `timeline` and `state` on the spec's walk-through "a call coming in on key 3", recorded over
/// UDP and TCP by captures/real/spec-incoming-call-key3.sh: initial state (key 3 off, label 42),
/// then pickup with caller 19781234567, then the caller gives up and `k=3` `l=42` turns it off.
@Suite struct KeyTimelineCommandTests {
    static let walkThroughs = ["spec-incoming-call-key3-udp.pcap", "spec-incoming-call-key3-tcp.pcap"]

    /// The capture's path; records a failure naming the file when it is not there yet.
    static func required(_ name: String) -> String? {
        let path = Paths.capture(name)
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("captures/\(name) is missing: record it with captures/real/spec-incoming-call-key3.sh")
            return nil
        }
        return path
    }

    @Test(arguments: walkThroughs)
    func keyThreeGoesOffPickupOff(_ name: String) throws {
        guard let file = Self.required(name) else { return }
        let r = try CommandRunner.buttonscope(["timeline", file, "--phone", "44", "--key", "3", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let events = try CommandRunner.ndjson(r.stdout)
        let lamps = events.compactMap { $0["state"] as? [String: Any] }.map { state in
            "\(state["light"] as? String ?? "?")/\(state["label"] as? String ?? "-")/\(state["caller"] as? String ?? "-")"
        }
        #expect(lamps == ["off/42/-", "pickup/42/19781234567", "off/42/-"])
        #expect(events.allSatisfy { $0["user"] as? String == "44" && $0["key"] as? String == "3" })
        #expect(events.allSatisfy { $0["direction"] as? String == "to-phone" })
        // The emulated phone answers every MESSAGE with 200.
        #expect(events.map { $0["outcome"] as? String } == ["accepted", "accepted", "accepted"])
        #expect(events.map { $0["status"] as? Int } == [200, 200, 200])
        // Clearing: the light goes back and the caller and number disappear; the label was sent again unchanged.
        let lastChanged = events.last?["changed"] as? [String] ?? []
        #expect(Set(lastChanged) == ["light", "caller", "destination"])
        let frames = events.compactMap { $0["frame"] as? Int }
        #expect(frames == frames.sorted() && Set(frames).count == 3)
        for field in ["time", "host", "call_id"] { #expect(events.allSatisfy { $0[field] != nil }, "\(field) missing") }
    }

    @Test(arguments: walkThroughs)
    func stateAtTheEndAndInTheMiddle(_ name: String) throws {
        guard let file = Self.required(name) else { return }
        let events = try CommandRunner.ndjson(try CommandRunner.buttonscope(["timeline", file, "--key", "3", "--json"]).stdout)
        try #require(events.count == 3)
        let end = try Self.keyThree(file, at: nil)
        #expect((end["sent"] as? [String: Any])?["light"] as? String == "off")
        #expect((end["sent"] as? [String: Any])?["frame"] as? Int == events[2]["frame"] as? Int)
        #expect((end["shown"] as? [String: Any])?["label"] as? String == "42")
        #expect((end["shown"] as? [String: Any])?["frame"] as? Int == events[2]["frame"] as? Int)

        // Between the pickup and the clearing document, key 3 blinks for the caller.
        let t1 = try #require(events[1]["time"] as? Double), t2 = try #require(events[2]["time"] as? Double)
        let middle = try Self.keyThree(file, at: String((t1 + t2) / 2))
        let shown = middle["shown"] as? [String: Any]
        #expect(shown?["light"] as? String == "pickup")
        #expect(shown?["caller"] as? String == "19781234567")
        #expect(shown?["frame"] as? Int == events[1]["frame"] as? Int)
    }

    static func keyThree(_ file: String, at: String?) throws -> [String: Any] {
        let r = try CommandRunner.buttonscope(["state", file, "--phone", "44", "--json"] + (at.map { ["--at", $0] } ?? []))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count == 1, "state --json prints one document")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let phones = try #require(doc["phones"] as? [[String: Any]])
        let phone = try #require(phones.first { $0["user"] as? String == "44" })
        #expect(phone["host"] is String)
        let keys = try #require(phone["keys"] as? [[String: Any]])
        return try #require(keys.first { $0["key"] as? String == "3" })
    }

    @Test func textShowsEveryChangeAndThePanel() throws {
        guard let file = Self.required("spec-incoming-call-key3-udp.pcap") else { return }
        let timeline = try CommandRunner.buttonscope(["timeline", file, "--key", "3"])
        #expect(timeline.status == 0)
        #expect(timeline.stdout.contains("caller=19781234567"))
        #expect(!timeline.stdout.contains("\u{1b}["), "no colours when stdout is not a terminal")
        let state = try CommandRunner.buttonscope(["state", file])
        #expect(state.stdout.contains("[3 off 42"))
    }

    @Test func badAtIsUnusableArguments() throws {
        guard let file = Self.required("spec-incoming-call-key3-udp.pcap") else { return }
        let r = try CommandRunner.buttonscope(["state", file, "--at", "25:99"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--at"))
    }

    /// A rejected document: sent but not shown; the lamp keeps the accepted state.
    @Test func rejectedDocumentIsSentButNotShown() throws {
        let file = try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: PcapWriting.message("k=5\r\nc=on\r\n", callID: "a1"), seconds: 1_700_000_000),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: "a1"), seconds: 1_700_000_000),
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: PcapWriting.message("k=5\r\nc=off\r\n", callID: "a2"), seconds: 1_700_000_001),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: "a2", status: "404 Not Found"), seconds: 1_700_000_001),
        ], name: "rejected")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let events = try CommandRunner.ndjson(try CommandRunner.buttonscope(["timeline", file, "--json"]).stdout)
        #expect(events.map { $0["outcome"] as? String } == ["accepted", "rejected"])
        #expect(events.map { $0["status"] as? Int } == [200, 404])
        let key = try Self.keyFive(file)
        #expect((key["sent"] as? [String: Any])?["light"] as? String == "off")
        #expect((key["sent"] as? [String: Any])?["outcome"] as? String == "rejected")
        #expect((key["shown"] as? [String: Any])?["light"] as? String == "on")
        #expect((key["shown"] as? [String: Any])?["frame"] as? Int == 1)
    }

    static func keyFive(_ file: String) throws -> [String: Any] {
        let r = try CommandRunner.buttonscope(["state", file, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let keys = try #require((doc["phones"] as? [[String: Any]])?.first?["keys"] as? [[String: Any]])
        return try #require(keys.first { $0["key"] as? String == "5" })
    }
}
