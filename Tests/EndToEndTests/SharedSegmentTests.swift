import Foundation
import Testing
import TestSupport

/// Two MESSAGEs in one TCP segment, answered 200 and 404 in two later segments: every command
/// must give each request its own answer (they share a frame, so a frame alone cannot name them).
@Suite struct SharedSegmentTests {
    static func capture() throws -> String {
        let first = PcapWriting.message("k=1\r\nc=on\r\n", callID: "seg-one")
        let second = PcapWriting.message("k=2\r\nc=on\r\n", callID: "seg-two")
        let ok = PcapWriting.ok(callID: "seg-one")
        let notFound = PcapWriting.ok(callID: "seg-two", status: "404 Not Found")
        let pbx = PcapWriting.pbx, phone = PcapWriting.phone
        let segments = [
            // Frame 1: both requests. Frame 2: the 200 for the first. Frame 3: the 404 for the second.
            PcapWriting.Segment(source: pbx, destination: phone, sourcePort: 40000, destinationPort: 5060, sequence: 1000,
                                payload: first + second, seconds: 1_700_000_000),
            PcapWriting.Segment(source: phone, destination: pbx, sourcePort: 5060, destinationPort: 40000, sequence: 5000,
                                payload: ok, seconds: 1_700_000_000, microseconds: 10_000),
            PcapWriting.Segment(source: phone, destination: pbx, sourcePort: 5060, destinationPort: 40000,
                                sequence: 5000 + UInt32(ok.utf8.count), payload: notFound, seconds: 1_700_000_000, microseconds: 20_000),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-\(UUID().uuidString)-shared-segment.pcap")
        try PcapWriting.tcpCapture(segments).write(to: url)
        return url.path
    }

    @Test func exchangesPairEachRequestWithItsOwnAnswer() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try CommandRunner.run(Paths.binary, ["exchanges", "--json", path])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try CommandRunner.ndjson(run.stdout)
        // Wire order within the frame, each with its own answer.
        #expect(records.map { $0["call_id"] as? String } == ["seg-one", "seg-two"])
        #expect(records.map { $0["frame"] as? Int } == [1, 1])
        #expect(records.map { $0["final_status"] as? Int } == [200, 404])
        #expect(records.map { $0["outcome"] as? String } == ["accepted", "rejected"])
    }

    @Test func whyAndTimelineTellTheKeysApart() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let one = try CommandRunner.run(Paths.binary, ["why", path, "--phone", "44", "--key", "1", "--json"])
        let two = try CommandRunner.run(Paths.binary, ["why", path, "--phone", "44", "--key", "2", "--json"])
        let v1 = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any]
        let v2 = try JSONSerialization.jsonObject(with: Data(two.stdout.utf8)) as? [String: Any]
        #expect(v1?["verdict"] as? String == "accepted")
        #expect(v2?["verdict"] as? String == "rejected")
        let timeline = try CommandRunner.run(Paths.binary, ["timeline", "--json", path])
        let events = try CommandRunner.ndjson(timeline.stdout)
        let status = Dictionary(events.compactMap { e in (e["key"] as? String).map { ($0, e["status"] as? Int) } }, uniquingKeysWith: { a, _ in a })
        #expect(status["1"] == 200)
        #expect(status["2"] == 404)
    }

    @Test func exportTakesTheRightAnswer() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (key, answer, other) in [("1", "seg-one", "seg-two"), ("2", "seg-two", "seg-one")] {
            let out = path + ".key\(key).pcap"
            defer { try? FileManager.default.removeItem(atPath: out) }
            let run = try CommandRunner.run(Paths.binary, ["export", path, "--key", key, "-o", out])
            #expect(run.status == 0, "\(run.stderr)")
            let back = try CommandRunner.ndjson(try CommandRunner.run(Paths.binary, ["messages", "--json", out]).stdout)
            let responses = back.filter { $0["status"] is Int }.compactMap { $0["call_id"] as? String }
            #expect(responses == [answer], "key \(key): the answer kept must be its own, not \(other)'s")
        }
    }
}
