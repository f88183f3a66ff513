import Foundation
import Testing
import TestSupport

/// Kamailio's siptrace as the real HEP sender (`scripts/hep-collector/kamailio-e2e.sh`): it relays a
/// SIPp PBX's three documents for phone 44's key 3 to a SIPp phone and mirrors every transaction to
/// `watch --hep`, while tcpdump records the same SIP on lo. What watch reports must be what `state`
/// reads from tcpdump's capture, and from watch's own -w file.
@Suite(.serialized) struct WatchHEPKamailioTests {
    /// The key states of `state --json`: "user/key" → (sent light+label, shown light+label).
    static func states(_ file: String) throws -> [String: String] {
        let r = try CommandRunner.buttonscope(["state", file, "--json"])
        guard let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let phones = doc["phones"] as? [[String: Any]] else { Issue.record("state --json \(file): \(r.stderr)"); return [:] }
        var out: [String: String] = [:]
        for p in phones {
            for k in p["keys"] as? [[String: Any]] ?? [] {
                let sent = k["sent"] as? [String: Any], shown = k["shown"] as? [String: Any]
                out["\(p["user"] ?? "?")/\(k["key"] ?? "?")"] = "sent \(sent?["light"] ?? "-") \(sent?["label"] ?? "-") \(sent?["outcome"] ?? "-"); shown \(shown?["light"] ?? "-") \(shown?["label"] ?? "-")"
            }
        }
        return out
    }

    @Test func watchHEPFromKamailioEqualsACaptureOfTheSameTraffic() throws {
        guard WatchLoopbackTests.canCapture(), CommandRunner.tool("kamailio") != nil, CommandRunner.tool("sipp") != nil,
              CommandRunner.tool("tcpdump") != nil else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("hep-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let script = Paths.root.appendingPathComponent("scripts/hep-collector/kamailio-e2e.sh").path
        // Not CommandRunner: the script's background tcpdump inherits stdout, which must not be a
        // pipe read to its end. And the test process blocks signals and its children inherit the
        // mask: without clearing it, neither `timeout` nor the script's `kill -INT` could stop anything.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                       "/usr/bin/timeout", "90", script, out]
        p.environment = ProcessInfo.processInfo.environment.merging(["BUTTONSCOPE": Paths.binary]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(errText)")
        let watchErr = (try? String(contentsOfFile: out + "/watch.err", encoding: .utf8)) ?? ""
        let events = try CommandRunner.ndjson((try? String(contentsOfFile: out + "/watch.ndjson", encoding: .utf8)) ?? "")

        // Kamailio mirrors each document twice (PBX → proxy, proxy → phone) and both 200s.
        let documents = events.filter { $0["event"] as? String == "document" }
        let answers = events.filter { $0["event"] as? String == "answer" }
        #expect(documents.count == 6, "\(events) \(watchErr)")
        #expect(documents.allSatisfy { $0["node"] as? Int == 2301 && ($0["agent"] as? String)?.hasPrefix("127.0.23.1:") == true })
        #expect(answers.count == 6 && answers.allSatisfy { $0["outcome"] as? String == "accepted" }, "\(answers)")
        #expect(watchErr.contains("0 dropped by the kernel") && watchErr.contains("0 duplicates dropped"), "\(watchErr)")

        // The last key change watch printed for each key is what `state` says was sent.
        var lastLight: [String: String] = [:]
        for k in events where k["event"] as? String == "key" {
            let state = k["state"] as? [String: Any]
            lastLight["\(k["user"] ?? "?")/\(k["key"] ?? "?")"] = "\(state?["light"] ?? "-") \(state?["label"] ?? "-")"
        }
        let fromTcpdump = try Self.states(out + "/lo.pcap")
        let fromFleetFile = try Self.states(out + "/fleet.pcapng")
        #expect(!fromTcpdump.isEmpty)
        #expect(fromFleetFile == fromTcpdump, "fleet \(fromFleetFile) tcpdump \(fromTcpdump)")
        #expect(lastLight.keys.sorted() == fromTcpdump.keys.sorted())
        for (key, light) in lastLight { #expect(fromTcpdump[key]?.hasPrefix("sent \(light) accepted") == true, "\(key): \(light) vs \(fromTcpdump[key] ?? "-")") }
        #expect(fromTcpdump["44/3"]?.hasSuffix("shown on Sales") == true, "\(fromTcpdump)")
    }
}
