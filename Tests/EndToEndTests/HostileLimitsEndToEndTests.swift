import Foundation
import Testing
import TestSupport

/// Issue 16 through the real CLI: no crash on timestamps at the ends of the 64-bit range, a tiny
/// file claiming a 2 GiB record stays tiny in memory, partial messages of many streams stay under
/// the bound in total, and reassembly time grows with n log n (4× the pieces must not take 10× the
/// time: judged by scaling, not by seconds, so a loaded machine does not make it fail).
@Suite(.serialized) struct HostileLimitsEndToEndTests {
    /// Every command that reads a capture, on the pcapng whose interfaces have if_tsoffset at
    /// Int64.min and Int64.max: none may crash, and the normal pair after it is read.
    @Test func extremeTimestampOffsetsCrashNoCommand() throws {
        let path = try HostileCaptureTests.write(HostileCapture.extremeTimestampOffsets(), "tsoffset")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = path + ".html", export = path + ".out.pcap"
        defer { try? FileManager.default.removeItem(atPath: report); try? FileManager.default.removeItem(atPath: export) }
        let commands: [[String]] = [
            ["messages", path], ["messages", "--json", path], ["exchanges", path], ["exchanges", "--json", path],
            ["state", path], ["state", "--json", path], ["timeline", path], ["timeline", "--json", path],
            ["lint", path], ["lint", "--json", path], ["summary", path], ["summary", "--json", path],
            ["why", path, "--phone", "44", "--key", "7"], ["why", "--json", path, "--phone", "44", "--key", "7"],
            ["report", path, "-o", report], ["export", path, "--phone", "44", "--key", "7", "-o", export],
        ]
        for args in commands {
            let r = try CommandRunner.buttonscope(args)
            #expect(r.status >= 0 && r.status <= 2, "\(args.joined(separator: " ")): exit \(r.status): \(r.stderr.suffix(300))")
        }
        let json = try CommandRunner.buttonscope(["messages", "--json", path])
        let records = try CommandRunner.ndjson(json.stdout)
        #expect(records.filter { $0["call_id"] as? String == "normal-after-hostile" }.count == 2)
        #expect(records.filter { $0["call_id"] as? String == "tsoffset" }.count == 2)
    }

    /// A few hundred bytes with snap length 0x7ffffffe and a record claiming 2 GiB: the record is
    /// refused before anything is allocated for it; the messages before it are read.
    @Test func tinyFileClaimingTwoGigabytesStaysTiny() throws {
        let data = HostileCapture.hugeCaplen()
        #expect(data.count < 1024)
        let path = try HostileCaptureTests.write(data, "caplen")
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let run = try HostileCaptureTests.measured(["messages", "--json", path]) else { return }
        #expect(run.result.status <= 2)
        #expect(run.peakKB < 50 * 1024, "peaked at \(run.peakKB) KB")
        #expect(run.result.stderr.contains("file-garbage"))
        let records = try CommandRunner.ndjson(run.result.stdout)
        #expect(records.filter { $0["call_id"] as? String == "normal-after-hostile" }.count == 2)
    }

    /// 40 streams each holding a partial 1 MB body (40 MB, over the 32 MiB budget): the
    /// oldest are given up and reported, memory stays under the bound, and the normal pair is read.
    @Test func partialBodiesOfManyStreamsStayUnderTheBound() throws {
        guard let run = try HostileCaptureTests().check(HostileCapture.partialBodies(), "partial-bodies", expecting: "tcp-memory-budget") else { return }
        let given = run.records.filter { ($0["diagnostics"] as? [String])?.contains("tcp-memory-budget") == true }
        #expect(!given.isEmpty)
        // Given up oldest first: the first streams go, the last ones end as incomplete at the end.
        #expect(given.first?["call_id"] as? String == "partial-0")
    }

    static func seconds(_ data: Data, _ name: String) throws -> (seconds: Double, sentinel: Bool) {
        let path = try HostileCaptureTests.write(data, name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Date()
        let r = try CommandRunner.buttonscope(["messages", "--json", path])
        let elapsed = Date().timeIntervalSince(start)
        let records = try CommandRunner.ndjson(r.stdout)
        return (elapsed, records.filter { $0["call_id"] as? String == "normal-after-hostile" }.count == 2)
    }

    @Test func reversedSegmentsScaleNLogN() throws {
        let small = try Self.seconds(HostileCapture.reversedSegments(20_000), "rev-20k")
        let large = try Self.seconds(HostileCapture.reversedSegments(80_000), "rev-80k")
        #expect(small.sentinel && large.sentinel)
        #expect(large.seconds < small.seconds * 10, "20 000 reversed segments: \(small.seconds) s, 80 000: \(large.seconds) s")
    }

    @Test func reversedFragmentsScaleLinearly() throws {
        let small = try Self.seconds(HostileCapture.reversedFragments(2000, datagrams: 5), "frag-2k")
        let large = try Self.seconds(HostileCapture.reversedFragments(8000, datagrams: 5), "frag-8k")
        #expect(small.sentinel && large.sentinel)
        #expect(large.seconds < small.seconds * 10, "5 datagrams of 2 000 fragments: \(small.seconds) s, of 8 000: \(large.seconds) s")
    }
}
