import Foundation
import Testing
import TestSupport

/// The report as a browser sees it: headless Chromium (Debian's `chromium`) opens the page made
/// from each bundled capture, and the DOM it built must hold one lane per key and one ladder arrow
/// per message, with our script run under the page's Content-Security-Policy. In CI a missing
/// chromium is a failure.
@Suite(.serialized) struct ReportBrowserTests {
    /// Runs chromium with a time limit and a profile of its own (parallel runs must not share one).
    static func chromium(_ arguments: [String]) throws -> CommandRunner.Result? {
        guard let chromium = CommandRunner.tool("chromium"), let timeout = CommandRunner.tool("timeout") else { return nil }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try CommandRunner.run(timeout, ["90", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                               "--user-data-dir=\(profile.path)"] + arguments)
    }

    static func report(_ capture: String) throws -> URL {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-report-\(UUID().uuidString).html")
        let r = try CommandRunner.buttonscope(["report", capture, "-o", out.path])
        #expect(r.status == 0, "report \(capture): \(r.stderr)")
        return out
    }

    static func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Arrows the ladder must draw, from `exchanges --json`: per MESSAGE or REGISTER, the request,
    /// each retransmission, each answer, each ICMP error.
    static func expectedArrows(_ capture: String) throws -> Int {
        let r = try CommandRunner.buttonscope(["exchanges", capture, "--json"])
        return try CommandRunner.ndjson(r.stdout).filter { ["MESSAGE", "REGISTER"].contains($0["method"] as? String ?? "") }.reduce(0) { sum, e in
            sum + 1 + ((e["retransmissions"] as? Int) ?? 0) + ((e["responses"] as? [Any])?.count ?? 0) + ((e["icmp"] as? [Any])?.count ?? 0)
        }
    }

    /// Keys `state --json` lists: each has a lane (keys only pressed may add lanes).
    static func stateKeys(_ capture: String) throws -> Int {
        let r = try CommandRunner.buttonscope(["state", capture, "--json"])
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (doc?["phones"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["keys"] as? [Any])?.count ?? 0) }
    }

    static var bundledCaptures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? []
        return names.filter { ($0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng")) && $0 != "not-a-capture.pcap" }.sorted()
    }

    @Test func walkThroughRendersLanesAndLadder() throws {
        let capture = Paths.capture("spec-incoming-call-key3-udp.pcap")
        let page = try Self.report(capture)
        defer { try? FileManager.default.removeItem(at: page) }
        guard let dom = try Self.chromium(["--dump-dom", page.absoluteString]) else { return }
        #expect(dom.status == 0, "chromium: \(dom.stderr.suffix(500))")
        let html = dom.stdout
        #expect(html.contains("data-script=\"ran\""), "the page's script did not run")
        // The walk-through's initial state describes keys 1–4 of phone 44 (summary: keys 1, 2, 3, 4).
        #expect(Self.occurrences("class=\"key-lane\"", in: html) == 4)
        for key in ["1", "2", "3", "4"] { #expect(html.contains("class=\"key-lane\" data-key=\"\(key)\"")) }
        // REGISTER + 200, then three MESSAGEs each answered 200: eight arrows, none retransmitted.
        #expect(html.contains("id=\"ladder\""))
        #expect(Self.occurrences("class=\"arrow arrow-", in: html) == 8)
        #expect(Self.occurrences("class=\"arrow arrow-retransmission", in: html) == 0)
        #expect(Self.occurrences("class=\"arrow arrow-ok", in: html) == 4)
        // Key 3 went pickup and back: a pickup span in its lane, and the panel shows it off at the end.
        #expect(html.contains("span-pickup"))
        #expect(Self.occurrences("class=\"msg\"", in: html) == 8)

        let png = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-report-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: png) }
        guard let shot = try Self.chromium(["--hide-scrollbars", "--screenshot=\(png.path)", "--window-size=1400,1000", page.absoluteString]) else { return }
        #expect(shot.status == 0, "chromium: \(shot.stderr.suffix(500))")
        let data = (try? Data(contentsOf: png)) ?? Data()
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG written")
        #expect(data.count > 20_000, "screenshot suspiciously small: \(data.count) bytes")
    }

    @Test func everyBundledCaptureRenders() throws {
        let captures = Self.bundledCaptures
        #expect(captures.count > 20)
        guard CommandRunner.tool("chromium") != nil else { return }
        for name in captures {
            let capture = Paths.capture(name)
            let page = try Self.report(capture)
            defer { try? FileManager.default.removeItem(at: page) }
            guard let dom = try Self.chromium(["--dump-dom", page.absoluteString]) else { return }
            #expect(dom.status == 0, "\(name): chromium \(dom.stderr.suffix(300))")
            let html = dom.stdout
            #expect(html.contains("data-script=\"ran\""), "\(name): script did not run")
            let arrows = try Self.expectedArrows(capture)
            #expect(Self.occurrences("class=\"arrow arrow-", in: html) == arrows, "\(name): arrows")
            #expect(html.contains("id=\"ladder\"") == (arrows > 0), "\(name): ladder")
            #expect(Self.occurrences("class=\"key-lane\"", in: html) >= (try Self.stateKeys(capture)), "\(name): lanes")
        }
    }
}
