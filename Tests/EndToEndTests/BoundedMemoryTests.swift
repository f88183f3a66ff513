import Foundation
import Testing
import TestSupport

/// `summary`, `exchanges --json` and `why` stream: on a capture holding far more messages than fit
/// in 100 MB as objects (old code that kept every message peaked at 160 MB on this file for
/// `summary` and `why`), their peak memory stays under the bound, in a debug build.
@Suite(.serialized) struct BoundedMemoryTests {
    static let peakLimitKB = 100 * 1024

    /// A long, SIP-heavy capture (little RTP): ~20 MB, 59 000 frames, 27 000 SIP messages over 247 s, 400 phones.
    static func capture() throws -> String? {
        let script = Paths.root.appendingPathComponent("scripts/synth-capture.py").path
        guard FileManager.default.fileExists(atPath: "/usr/bin/python3") else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-long-\(UUID().uuidString).pcap").path
        let made = try CommandRunner.run("/usr/bin/python3", [script, "--size", "20M", "--seed", "3", "--calls", "1",
                                                              "--sip-rate", "1", "-o", path])
        guard made.status == 0 else { Issue.record("synth-capture.py failed: \(made.stderr)"); return nil }
        return path
    }

    @Test func summaryExchangesAndWhyStayUnderTheBound() throws {
        guard let path = try Self.capture() else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }

        guard let summary = try HostileCaptureTests.measured(["summary", "--json", path]) else { return }
        #expect(summary.result.status == 0, "\(summary.result.stderr.suffix(300))")
        #expect(summary.peakKB < Self.peakLimitKB, "summary peaked at \(summary.peakKB) KB")
        let doc = try JSONSerialization.jsonObject(with: Data(summary.result.stdout.utf8)) as? [String: Any]
        let phones = doc?["phones"] as? [[String: Any]] ?? []
        #expect(phones.count == 400)
        #expect((doc?["sip_messages"] as? Int ?? 0) > 20_000, "the file must hold many messages for the bound to mean something")
        let next = (doc?["next"] as? [[String: Any]] ?? []).first

        guard let exchanges = try HostileCaptureTests.measured(["exchanges", "--json", path]) else { return }
        #expect(exchanges.result.status == 0)
        #expect(exchanges.peakKB < Self.peakLimitKB, "exchanges peaked at \(exchanges.peakKB) KB")
        let records = try CommandRunner.ndjson(exchanges.result.stdout)
        let total = (doc?["exchanges"] as? [String: Int])?.values.reduce(0, +) ?? -1
        #expect(records.count == total, "exchanges prints every transaction summary counted")
        let frames = records.compactMap { $0["frame"] as? Int }
        #expect(frames == frames.sorted(), "printed as they settle, still in request frame order")

        // A key summary says is worth asking about: why must name a broken link for it too.
        let user = next?["user"] as? String ?? "1000", key = next?["key"] as? String ?? "1"
        guard let why = try HostileCaptureTests.measured(["why", path, "--phone", user, "--key", key, "--json"]) else { return }
        #expect(why.peakKB < Self.peakLimitKB, "why peaked at \(why.peakKB) KB")
        let verdict = (try JSONSerialization.jsonObject(with: Data(why.result.stdout.utf8)) as? [String: Any])?["verdict"] as? String
        #expect(verdict == (next?["verdict"] as? String ?? "accepted"))
    }
}
