import Foundation
import Testing
import TestSupport

/// Issue 15 items 1, 2, 3, 11–14 on the built binary and the captures made for them
/// (`captures/spec/*.sh`, manifest `captures/expected-spec.json`). Each test quotes its seed.
@Suite struct SpecReadEndToEndTests {
    static func file(_ name: String) throws -> String {
        let path = Paths.capture(name)
        try #require(FileManager.default.fileExists(atPath: path), "captures/\(name) is missing: make it with captures/spec/make-all.sh")
        return path
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    // Item 1.
    @Test("\"The owner of extension 404 decides to seize the line and sends a message to the registrar\": replay sends 404 only its documents")
    func replayLeavesThePhonesPressesOut() throws {
        let file = try Self.file("spec-shared-line-udp.pcap")
        let r = try CommandRunner.buttonscope(["replay", file, "--phone", "404", "--to", "sip:404@127.0.7.3:5062", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("left out 2 key presses the phone sent to its PBX"))
        let steps = r.lines.filter { $0.hasPrefix("--- #") }
        #expect(steps.count == 3, "\(steps)")
        #expect(!r.stdout.contains("Proxy-Require"))
        #expect(!r.stdout.contains("a=seize\r\nt=") && !r.stdout.contains("*602co1"))

        let p = try CommandRunner.buttonscope(["replay", file, "--phone", "404", "--presses", "--to", "sip:404@127.0.7.1:5060", "--dry-run"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.lines.filter { $0.hasPrefix("--- #") }.count == 2)
        #expect(p.stdout.contains("left out 3 documents sent to phones"))
        // Each press keeps its To user, the key's number, on the PBX's host, and its Proxy-Require.
        #expect(p.stdout.contains("To: <sip:*602co1@127.0.7.1>"))
        #expect(p.stdout.contains("To: <sip:*603co2@127.0.7.1>"))
        #expect(p.stdout.components(separatedBy: "Proxy-Require: buttons").count == 3)
        #expect(p.stdout.contains("MESSAGE sip:404@127.0.7.1:5060 SIP/2.0"))
    }

    // Item 13: "--dry-run does not print Via …:0 / Contact …:0".
    @Test func dryRunShowsPlaceholdersNotPortZero() throws {
        let file = try Self.file("why-all-good.pcap")
        let r = try CommandRunner.buttonscope(["replay", file, "--to", "sip:44@192.0.2.10:5060", "--dry-run"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains(":0;branch") && !r.stdout.contains(":0>"))
        #expect(r.stdout.contains("Via: SIP/2.0/UDP LOCAL-ADDRESS:LOCAL-PORT;branch="))
        #expect(r.stdout.contains("@LOCAL-ADDRESS:LOCAL-PORT>"))
        #expect(r.stderr.contains("--local HOST:PORT fixes them"))
        let fixed = try CommandRunner.buttonscope(["replay", file, "--to", "sip:44@192.0.2.10:5060", "--dry-run", "--local", "127.0.7.1:5099"])
        #expect(fixed.stdout.contains("Via: SIP/2.0/UDP 127.0.7.1:5099;branch="))
        #expect(!fixed.stderr.contains("LOCAL-PORT"))
    }

    // Item 3.
    @Test("--fix produces what lint passes and lists exactly what it changed")
    func replayFixMendsAndSays() throws {
        let oneLine = try CommandRunner.buttonscope(["replay", try Self.file("why-entries-one-line.pcap"), "--to", "sip:44@127.0.7.2:5062",
                                                     "--fix", "--dry-run"])
        #expect(oneLine.stdout.contains("split 'k=3 c=on l=Sales' into k=3, c=on, l=Sales"))
        #expect(oneLine.stdout.contains("\r\n\r\nk=3\r\nc=on\r\nl=Sales\r\n"))
        #expect(!oneLine.stdout.contains("already canonical"))

        let cut = try CommandRunner.buttonscope(["replay", try Self.file("why-content-length-short.pcap"), "--to", "sip:44@127.0.7.2:5062",
                                                 "--fix", "--dry-run", "--json"])
        let fix = try #require(try CommandRunner.ndjson(cut.stdout).first { $0["record"] as? String == "fix" })
        #expect(fix["changed"] as? Bool == true)
        let notes = fix["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("Content-Length 6 cut the 20-byte body: now 20") }, "\(notes)")
        #expect(fix["valid"] as? Bool == true)
    }

    @Test("--fix sets Content-Type and separates descriptions (\"Empty lines indicate the beginning of a new lamp description\")")
    func replayFixContentTypeAndDescriptions() throws {
        let file = try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone,
                  payload: PcapWriting.message("k=1\r\nc=on\r\nk=2\r\nc=off\r\nl=Two\r\n", contentType: "text/plain", callID: "fix1"),
                  seconds: 1_700_000_000),
        ], name: "specread-fix")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["replay", file, "--to", "sip:44@127.0.7.2:5062", "--fix", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Content-Type \"text/plain\" → application/x-buttons"))
        #expect(r.stdout.contains("started a new description at k=2"))
        #expect(r.stdout.contains("Content-Type: application/x-buttons\r\n"))
        #expect(!r.stdout.contains("Content-Type: text/plain"))
        #expect(r.stdout.contains("\r\n\r\nk=1\r\nc=on\r\n\r\nk=2\r\nc=off\r\nl=Two\r\n"))
        #expect(!r.stdout.contains("cannot make it pass lint"))
        // Without --fix the fault is reproduced as captured.
        let plain = try CommandRunner.buttonscope(["replay", file, "--to", "sip:44@127.0.7.2:5062", "--dry-run"])
        #expect(plain.stdout.contains("Content-Type: text/plain"))
    }

    // Item 2.
    @Test("\"If an entry is not present, then a default value shall apply\": why accepts both ways of turning a lamp off")
    func whyAcceptsAClearByOmission() throws {
        let file = try Self.file("spec-clear-by-omission-udp.pcap")
        let one = try CommandRunner.buttonscope(["why", file, "--phone", "44", "--key", "1", "--json"])
        let two = try CommandRunner.buttonscope(["why", file, "--phone", "44", "--key", "2", "--json"])
        #expect(one.status == 0 && two.status == 0)
        #expect(Self.object(one.stdout)["verdict"] as? String == "accepted")
        #expect(Self.object(two.stdout)["verdict"] as? String == "accepted")
        let notes = Self.object(one.stdout)["notes"] as? [String] ?? []
        #expect(notes.count == 1 && notes[0].contains("no c=, so off") && notes[0].contains("repeat c= to keep it lit"))
        #expect(Self.object(two.stdout)["notes"] == nil)
        let text = try CommandRunner.buttonscope(["why", file, "--phone", "44", "--key", "1"])
        #expect(text.stdout.contains("\nNote: frame 5 "))
        #expect(!text.stdout.contains("✗"))
    }

    @Test("summary and why agree on what counts as a problem")
    func summaryAgreesWithWhy() throws {
        for name in ["why-overwritten.pcap", "spec-clear-by-omission-udp.pcap"] {
            let s = try CommandRunner.buttonscope(["summary", try Self.file(name)])
            #expect(s.stdout.contains("Problems: none found"), "\(name)")
            #expect(!s.stdout.contains("Worth asking next"), "\(name)")
            #expect(s.stdout.contains("Note on key"), "\(name)")
            let out = NSTemporaryDirectory() + "specread-note-\(getpid())-\(name).html"
            defer { try? FileManager.default.removeItem(atPath: out) }
            _ = try CommandRunner.buttonscope(["report", try Self.file(name), "-o", out])
            #expect(((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("repeat c= to keep it lit"), "\(name)")
        }
        // A key why finds broken is a problem in summary too, even when no message or document is faulty.
        for (name, code) in [("why-wrong-port.pcap", "why-wrong-destination"), ("why-registration-expired.pcap", "why-registration"),
                             ("why-no-buttons-support.pcap", "why-registration")] {
            let s = try CommandRunner.buttonscope(["summary", try Self.file(name), "--json"])
            let problems = Self.object(s.stdout)["problems"] as? [[String: Any]] ?? []
            #expect(problems.contains { $0["code"] as? String == code }, "\(name): \(problems)")
            #expect(!(Self.object(s.stdout)["next"] as? [Any] ?? []).isEmpty)
        }
    }

    // Items 11 and 12 on their captures.
    @Test("Free text \"may contain space\": a warning that lint does not fail on; k=/enumerations stay errors")
    func lintSeveritiesOnTheCaptures() throws {
        let free = try CommandRunner.ndjson(try CommandRunner.buttonscope(["lint", "--json", try Self.file("spec-free-text-equals-udp.pcap")]).stdout)
        let byKey = Dictionary(free.filter { $0["code"] as? String == "entries-on-one-line" }.map { ($0["key"] as? String ?? "", $0["severity"] as? String ?? "") }) { a, _ in a }
        #expect(byKey == ["3": "warning", "4": "error"])

        let edges = try CommandRunner.buttonscope(["lint", "--json", try Self.file("spec-grammar-edges-udp.pcap")])
        #expect(edges.status == 0)
        let codes = try CommandRunner.ndjson(edges.stdout).map { "\($0["key"] as? String ?? "-") \($0["code"] as? String ?? "")" }
        #expect(Set(codes) == ["5 forward-without-target", "6 empty-value", "7 missing-line-end"], "\(codes)")
        #expect(codes.filter { $0 == "6 empty-value" }.count == 4)
    }

    // Item 13.
    @Test("K=1 under the right Content-Type is a broken document, and a press without Proxy-Require is 404's")
    func misreadCases() throws {
        let file = try Self.file("spec-misread-udp.pcap")
        let lint = try CommandRunner.ndjson(try CommandRunner.buttonscope(["lint", "--json", file]).stdout)
        let codes = Set(lint.compactMap { $0["code"] as? String })
        #expect(!codes.contains("wrong-content-type"))
        #expect(codes.isSuperset(of: ["key-not-first", "press-without-proxy-require"]))
        #expect(lint.first { $0["code"] as? String == "press-without-proxy-require" }?["user"] as? String == "404")
        let summary = Self.object(try CommandRunner.buttonscope(["summary", file, "--json"]).stdout)
        let users = (summary["phones"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String }
        #expect(users == ["404"])
        let state = Self.object(try CommandRunner.buttonscope(["state", file, "--json"]).stdout)
        #expect((state["phones"] as? [[String: Any]] ?? []).compactMap { $0["user"] as? String } == ["404"])
    }

    // Item 14.
    @Test("Model and firmware from the User-Agent in summary, state (text and JSON) and the report")
    func modelAndFirmwareShown() throws {
        let manifest = try Manifest.entries()
        for (name, facts) in manifest.sorted(by: { $0.key < $1.key }) {
            guard let model = facts["model"] as? [String: String], let phone = model["phone"] else { continue }
            let file = try Self.file(name)
            let state = Self.object(try CommandRunner.buttonscope(["state", file, "--json"]).stdout)
            let p = (state["phones"] as? [[String: Any]] ?? []).first { $0["user"] as? String == phone }
            #expect(p?["model"] as? String == model["model"], "\(name)")
            #expect(p?["firmware"] as? String == model["firmware"], "\(name)")
            let stateText = try CommandRunner.buttonscope(["state", file]).stdout
            #expect(stateText.contains("\(model["model"] ?? "?") firmware \(model["firmware"] ?? "?")"), "\(name)")
            let summary = try CommandRunner.buttonscope(["summary", file]).stdout
            #expect(summary.contains("\(model["model"] ?? "?"), firmware \(model["firmware"] ?? "?")"), "\(name)")
            let out = NSTemporaryDirectory() + "specread-\(getpid())-\(name).html"
            defer { try? FileManager.default.removeItem(atPath: out) }
            _ = try CommandRunner.buttonscope(["report", file, "-o", out])
            let html = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            #expect(html.contains("\(model["model"] ?? "?"), firmware \(model["firmware"] ?? "?")"), "\(name)")
        }
        // why's phone-side advice follows the series it saw.
        let eight = try CommandRunner.buttonscope(["why", try Self.file("spec-clear-by-omission-udp.pcap"), "--phone", "44", "--key", "2"])
        #expect(eight.stdout.contains("AND its Number set to the key index (2)"))
        let seven = try CommandRunner.buttonscope(["why", try Self.file("spec-grammar-edges-udp.pcap"), "--phone", "44", "--key", "5"])
        #expect(seven.stdout.contains("on firmware 7.x the key's type must be \"button\""))
        let sipp = try CommandRunner.buttonscope(["why", try Self.file("why-all-good.pcap"), "--phone", "44", "--key", "3"])
        #expect(sipp.stdout.contains("does not tell its firmware"))
    }
}
