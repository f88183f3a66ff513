import Foundation
import Testing
import TestSupport

/// Runs the built `buttonscope` on the real captures and holds `why` to `captures/expected-real.json`:
/// every file entry with a `why` list of {phone, key, verdict}.
@Suite struct WhyEndToEndTests {
    static let binary = URL(fileURLWithPath: Paths.binary)
    static let captures = Paths.captures

    struct Expectation: CustomStringConvertible {
        var file: String
        var phone: String
        var key: String
        var verdict: String
        /// The manifest's `buttonscope_options` (keys of a TLS capture), `{captures}` expanded.
        var options: [String] = []
        var description: String { "\(file) phone \(phone) key \(key) → \(verdict)" }
    }

    static func expectations() throws -> [Expectation] {
        let manifest = captures.appendingPathComponent("expected-real.json")
        guard FileManager.default.fileExists(atPath: manifest.path) else {
            throw ManifestMissing(path: manifest.path)
        }
        // Every family's manifest (expected-real.json, expected-spec.json, …).
        let top = try Manifest.entries()
        var out: [Expectation] = []
        for (file, value) in top.sorted(by: { $0.key < $1.key }) {
            guard let entry = value as? [String: Any], let why = entry["why"] as? [[String: Any]] else { continue }
            let options = (entry["buttonscope_options"] as? [String] ?? []).map { $0.replacingOccurrences(of: "{captures}", with: captures.path) }
            for w in why {
                let phone = (w["phone"] as? String) ?? (w["phone"] as? Int).map(String.init) ?? ""
                let key = (w["key"] as? String) ?? (w["key"] as? Int).map(String.init) ?? ""
                out.append(Expectation(file: file, phone: phone, key: key, verdict: (w["verdict"] as? String) ?? "", options: options))
            }
        }
        return out
    }

    struct ManifestMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "missing \(path): copy captures/expected-real.json (and the capture files) from the main checkout" }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: Data) {
        let r = try CommandRunner.buttonscope(arguments)
        return (r.status, Data(r.stdout.utf8))
    }

    @Test func whyNamesTheExpectedLinkOnEveryRealCapture() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build first: \(Self.binary.path) is missing")
        let all = try Self.expectations()
        #expect(!all.isEmpty, "expected-real.json lists no `why` expectations")
        for e in all {
            let file = Self.captures.appendingPathComponent(e.file)
            guard FileManager.default.fileExists(atPath: file.path) else {
                Issue.record("capture missing: \(file.path) (named in expected-real.json)")
                continue
            }
            let (status, data) = try Self.run(["why", file.path, "--phone", e.phone, "--key", e.key, "--json"] + e.options)
            let doc = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let verdict = doc?["verdict"] as? String
            #expect(verdict == e.verdict, "\(e)")
            #expect(status == (e.verdict == "accepted" ? 0 : 1), "exit status for \(e)")
            let chain = doc?["chain"] as? [[String: Any]] ?? []
            #expect(!chain.isEmpty, "\(e): empty chain")
            // The first broken link is the verdict; accepted means none broke.
            let broken = chain.first { ($0["ok"] as? Bool) == false }
            #expect((broken == nil) == (e.verdict == "accepted"), "\(e)")
        }
    }

    @Test func whyTextShowsOneMarkedLinePerLink() throws {
        let file = Self.captures.appendingPathComponent("why-overwritten.pcap")
        guard FileManager.default.fileExists(atPath: file.path) else {
            Issue.record("capture missing: \(file.path)")
            return
        }
        let (status, data) = try Self.run(["why", file.path, "--phone", "44", "--key", "3"])
        let text = String(decoding: data, as: UTF8.self)
        // Issue 15: the spec clears a lamp by leaving c= out, so this is accepted, with a note.
        #expect(status == 0)
        #expect(text.contains("✓ not-overwritten"))
        #expect(text.contains("✓ registration"))
        #expect(text.contains("Note: frame 5 ") && text.contains("no c=, so off"))
        #expect(!text.contains("\u{1b}["), "no colours when stdout is not a terminal")
    }

    @Test func exchangesJSONCarriesTheContractFields() throws {
        let file = Self.captures.appendingPathComponent("why-unanswered-udp.pcap")
        guard FileManager.default.fileExists(atPath: file.path) else {
            Issue.record("capture missing: \(file.path)")
            return
        }
        let (status, data) = try Self.run(["exchanges", file.path, "--method", "MESSAGE", "--json"])
        #expect(status == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        let obj = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any] ?? [:]
        for field in ["method", "frame", "call_id", "cseq_number", "user", "retransmissions", "responses", "final_status", "outcome", "latency_ms"] {
            #expect(obj.keys.contains(field), "missing \(field)")
        }
        #expect(obj["outcome"] as? String == "unanswered")
        // The script's SIPp gives up after 10 transmissions (-max_non_invite_retrans 10).
        #expect((obj["retransmissions"] as? Int ?? 0) >= 5)
    }
}
