import Foundation
import Testing
import TestSupport

/// The hostile captures through the real CLI: each run ends with exit 0, the diagnostic that names the
/// hostile part, a peak memory (VmHWM, measured by /usr/bin/time) under issue 16's 150 MB bound, and the normal
/// MESSAGE after it read and applied as if the hostile part were not there.
@Suite(.serialized) struct HostileCaptureTests {
    /// Issue 16: "Each case ends within the bounds (under 150 MB, …)". The 100,000 half-open flows
    /// peak near 110 MB in the debug build (104 MB release) since flows carry their tunnel and
    /// the frame accounting follows every connection (about 90 MB before): see BENCHMARKS.md.
    static let peakLimitKB = 150 * 1024

    struct Run {
        var result: CommandRunner.Result
        var peakKB: Int
    }

    /// Runs buttonscope under /usr/bin/time and reads the child's peak resident set size.
    static func measured(_ args: [String]) throws -> Run? {
        guard let time = CommandRunner.tool("time") else { return nil }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-peak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CommandRunner.run(time, ["-f", "%M", "-o", out.path, Paths.binary] + args)
        let text = try String(contentsOf: out, encoding: .utf8)
        let peak = Int(text.split(separator: "\n").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "") ?? Int.max
        return Run(result: result, peakKB: peak)
    }

    static func write(_ data: Data, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-hostile-\(UUID().uuidString)-\(name).pcap")
        try data.write(to: url)
        return url.path
    }

    /// `messages --json` and `state --json` on the file: the checks every hostile capture shares.
    /// Returns stderr of `messages` and the NDJSON records, for the shape's own checks.
    func check(_ data: Data, _ name: String, expecting code: String) throws -> (stderr: String, records: [[String: Any]])? {
        let path = try Self.write(data, name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let messages = try Self.measured(["messages", "--json", path]) else { return nil }
        #expect(messages.result.status == 0, "\(name): exit \(messages.result.status): \(messages.result.stderr.suffix(300))")
        #expect(messages.peakKB < Self.peakLimitKB, "\(name): messages peaked at \(messages.peakKB) KB")
        let records = try CommandRunner.ndjson(messages.result.stdout)
        let normal = records.filter { $0["call_id"] as? String == "normal-after-hostile" }
        #expect(normal.count == 2, "\(name): the MESSAGE and 200 after the hostile part must both be read")
        #expect(normal.allSatisfy { ($0["diagnostics"] as? [String])?.isEmpty == true })
        let codes = messages.result.stderr + records.flatMap { ($0["diagnostics"] as? [String]) ?? [] }.joined(separator: " ")
        #expect(codes.contains(code), "\(name): no \(code) diagnostic")

        guard let state = try Self.measured(["state", "--json", path]) else { return nil }
        #expect(state.result.status == 0)
        #expect(state.peakKB < Self.peakLimitKB, "\(name): state peaked at \(state.peakKB) KB")
        let doc = try JSONSerialization.jsonObject(with: Data(state.result.stdout.utf8)) as? [String: Any]
        let phones = doc?["phones"] as? [[String: Any]] ?? []
        let key7 = phones.first { $0["user"] as? String == "44" }.flatMap { ($0["keys"] as? [[String: Any]])?.first { $0["key"] as? String == "7" } }
        let shown = key7?["shown"] as? [String: Any]
        #expect(shown?["light"] as? String == "on", "\(name): key 7 of phone 44 must show the normal document's light")
        #expect(shown?["label"] as? String == "Normal")
        return (messages.result.stderr, records)
    }

    @Test func tcpHoleThenMegabytes() throws {
        guard let run = try check(HostileCapture.tcpHole(), "tcp-hole", expecting: "tcp-midstream") else { return }
        // Everything after the hole is still read: thousands of messages on that stream.
        #expect(run.records.filter { ($0["call_id"] as? String)?.hasPrefix("hole-") == true }.count > 10_000)
    }

    @Test func fragmentsThatNeverComplete() throws {
        _ = try check(HostileCapture.fragmentFlood(), "frag-flood", expecting: "ip-fragment-incomplete")
    }

    @Test func contentLengthOfTenBillion() throws {
        guard let run = try check(HostileCapture.hugeContentLength(), "huge-cl", expecting: "content-length-too-large") else { return }
        let udp = run.records.first { $0["call_id"] as? String == "huge-udp" }
        #expect((udp?["diagnostics"] as? [String])?.contains("content-length-mismatch") == true)
    }

    @Test func tenMegabyteHeaderLine() throws {
        _ = try check(HostileCapture.longHeader(), "long-header", expecting: "header-too-long")
    }

    @Test func hundredThousandPartialConnections() throws {
        guard let run = try check(HostileCapture.manyPartialConnections(), "tcp-100k", expecting: "message-incomplete") else { return }
        // Each connection's loss is reported: the first ones by line, the rest counted.
        #expect(run.stderr.contains("more capture problems not shown"))
    }
}
