import Foundation
import Testing
import TestSupport

/// `buttonscope lint` against the faults the capture manifests say each file carries.
@Suite struct LintCommandTests {
    /// Every `captures/expected-*.json` (one per family of captures); the first two must exist.
    static var manifests: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? [])
            .filter { $0.hasPrefix("expected-") && $0.hasSuffix(".json") }
        return Array(Set(names + ["expected-crafted.json", "expected-real.json"])).sorted()
    }

    /// Every manifest, merged; a missing one of the two above is a failure naming it, not a silent skip.
    static func manifest() throws -> [String: [String: Any]] {
        var all = try Manifest.entries()
        for name in manifests {
            let url = Paths.captures.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else {
                Issue.record("captures/\(name) is missing: lint cannot be checked against its captures")
                continue
            }
            let facts = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]], "\(name) is not an object of objects")
            all.merge(facts) { a, _ in a }
        }
        return all
    }

    static var captureFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted()
    }

    @Test func everyCaptureHasItsFacts() throws {
        let manifest = try Self.manifest()
        for name in Self.captureFiles {
            #expect(manifest[name] != nil, "captures/\(name) has no entry in \(Self.manifests.joined(separator: " or "))")
        }
    }

    /// Every code the manifest lists is reported; a file listed with none exits 0 with no error,
    /// and the exit status is 1 exactly when an error is reported.
    @Test func lintFindsTheKnownFaults() throws {
        let manifest = try Self.manifest()
        var checked = 0
        for (name, facts) in manifest.sorted(by: { $0.key < $1.key }) {
            guard let expected = facts["lint_codes"] as? [String] else { continue }
            let path = Paths.capture(name)
            guard FileManager.default.fileExists(atPath: path) else {
                Issue.record("captures/\(name) is listed in the manifest but missing")
                continue
            }
            let readerCodes = facts["reader_diagnostics"] as? [String] ?? []
            // A TLS capture is linted with its keys (the manifest's `buttonscope_options`).
            let r = try CommandRunner.buttonscope(["lint", "--json", path] + ManifestStateTests.options(facts))
            if readerCodes.contains("not-a-capture") {
                #expect(r.status == 2, "\(name): not a capture, exit 2")
                continue
            }
            let findings = try CommandRunner.ndjson(r.stdout)
            let codes = Set(findings.compactMap { $0["code"] as? String })
            for code in expected { #expect(codes.contains(code), "\(name) must report \(code); got \(codes.sorted())") }
            let errors = findings.filter { $0["severity"] as? String == "error" }
            #expect(r.status == (errors.isEmpty ? 0 : 1), "\(name): exit \(r.status) with \(errors.count) errors")
            if expected.isEmpty {
                #expect(errors.isEmpty, "\(name) carries no known fault but lint reports \(errors.compactMap { $0["code"] as? String })")
            }
            for f in findings {
                for field in ["frame", "severity", "code", "message"] { #expect(f[field] != nil, "\(name): \(field) missing") }
                #expect(f.keys.contains("user") && f.keys.contains("key"))
            }
            checked += 1
        }
        #expect(checked >= 20, "only \(checked) captures had lint facts")
    }

    /// `k=2\r\nc=on\r\n` sent with Content-Length 7: the phone reads `k=2\r\nc=`. Lint says so,
    /// shows both bodies, and exits 1.
    @Test func aDocumentCutByContentLengthIsAnError() throws {
        let file = try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone,
                  payload: PcapWriting.message("k=2\r\nc=on\r\n", contentLength: 7, callID: "cut1"), seconds: 1_700_000_000),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: "cut1"), seconds: 1_700_000_000),
        ], name: "cut")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["lint", "--json", file])
        #expect(r.status == 1)
        let findings = try CommandRunner.ndjson(r.stdout)
        let cut = try #require(findings.first { $0["code"] as? String == "content-length-mismatch" })
        #expect(cut["read_body"] as? String == "k=2\r\nc=")
        #expect(cut["wire_body"] as? String == "k=2\r\nc=on\r\n")
        #expect(cut["user"] as? String == "44")
        #expect(cut["key"] as? String == "2")
        #expect(cut["frame"] as? Int == 1)

        let text = try CommandRunner.buttonscope(["lint", file])
        #expect(text.status == 1)
        #expect(text.stdout.contains(#""k=2\r\nc=""#))

        // The timeline shows the key as the phone read it, marked partial.
        let events = try CommandRunner.ndjson(try CommandRunner.buttonscope(["timeline", "--json", file]).stdout)
        #expect(events.first?["partial"] as? Bool == true)
        #expect((events.first?["state"] as? [String: Any])?["light"] as? String == "")
    }

    @Test func aButtonsBodyUnderAnotherTypeIsWrongContentType() throws {
        let file = try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone,
                  payload: PcapWriting.message("k=3\r\nc=on\r\n", contentType: "text/plain", callID: "ct1"), seconds: 1_700_000_000),
        ], name: "wrongtype")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["lint", "--json", file])
        #expect(r.status == 1)
        let codes = try CommandRunner.ndjson(r.stdout).compactMap { $0["code"] as? String }
        #expect(codes == ["wrong-content-type"])
    }

    @Test func unusableInputExitsTwo() throws {
        let r = try CommandRunner.buttonscope(["lint", Paths.capture("not-a-capture.pcap")])
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
