import Foundation
import Testing
import TestSupport

/// `report` writes one self-contained page. Everything from the capture is untrusted: these tests
/// put script and markup into a label, a caller ID, a key name and a Call-ID, and require the page
/// to show them as text.
@Suite struct ReportCommandTests {
    static let label = "<script>alert(1)</script>"
    static let caller = "\"><img src=x onerror=alert(1)>"
    static let key = "'><svg onload=alert(3)>"
    static let callID = "c1</script><script>alert(2)</script>"

    /// Phone 44 takes a document for key 3 whose label and caller are hostile (200), and refuses
    /// one for a key whose name is hostile (404): so the hostile key gets a `why` verdict too.
    static func hostileCapture() throws -> String {
        let accepted = PcapWriting.message("k=3\r\nc=pickup\r\nl=\(label)\r\ni=\(caller)\r\n", callID: callID)
        let refused = PcapWriting.message("k=\(key)\r\nc=on\r\nl=\(label)\r\n", callID: "c2")
        return try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: accepted, seconds: 1_700_000_000),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: callID), seconds: 1_700_000_000),
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: refused, seconds: 1_700_000_002),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx,
                  payload: PcapWriting.ok(callID: "c2", status: "404 Not Found"), seconds: 1_700_000_002),
        ], name: "hostile")
    }

    @Test func hostileTextIsEscapedEverywhere() throws {
        let file = try Self.hostileCapture()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["report", file, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = r.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))

        // The escaped forms are there: the text is shown, not dropped.
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&#39;&gt;&lt;svg onload=alert(3)&gt;"))
        #expect(html.contains("c1&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"))
        // The hostile key is a key: it has a lane, its name escaped inside the attribute.
        #expect(html.contains("data-key=\"&#39;&gt;&lt;svg onload=alert(3)&gt;\""))

        // The raw forms never are.
        for raw in ["<script>alert", "<img", "<svg onload", "</script><script>", "onerror=alert(1)>"] {
            #expect(!html.contains(raw), "raw \(raw) in the page")
        }
        // Exactly one script element (ours) and one end tag for it.
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(html.components(separatedBy: "</script>").count == 2)
    }

    @Test func hostileKeyGetsAWhyVerdictAsText() throws {
        let file = try Self.hostileCapture()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["report", file, "-o", "-"])
        // The 404 broke the chain for the hostile key: the why card names it, escaped. (`why`
        // names a key by the first word of its k= value, as a sender writing `k=3 c=on` meant.)
        #expect(r.stdout.contains("Phone 44, key &#39;&gt;&lt;svg<span class=\"verdict\">rejected</span>"))
    }

    @Test func writesTheFileNamedByDashO() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CommandRunner.buttonscope(["report", Paths.capture("spec-incoming-call-key3-udp.pcap"), "-o", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.hasSuffix("</html>\n"))
        // Self-contained: nothing is fetched from anywhere.
        for remote in ["http://", "https://", "src=", "@import", "url(http"] {
            #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains(remote), "\(remote) in the page")
        }
    }

    /// 1,100 answered MESSAGEs: the ladder stops at 1,000 transactions (2,000 arrows) and says so.
    @Test func ladderIsCappedAndSaysSo() throws {
        var datagrams: [PcapWriting.Datagram] = []
        for i in 0..<1_100 {
            let id = "big-\(i)"
            let t = UInt32(1_700_000_000 + i)
            datagrams.append(.init(source: PcapWriting.pbx, destination: PcapWriting.phone,
                                   payload: PcapWriting.message("k=\(i % 8 + 1)\r\nc=on\r\n", callID: id), seconds: t))
            datagrams.append(.init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: id), seconds: t))
        }
        let file = try PcapWriting.write(datagrams, name: "big")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["report", file, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Showing the first 1000 of 1100 transactions"))
        #expect(r.stdout.components(separatedBy: "class=\"arrow arrow-").count - 1 == 2_000)
        // Every key still has its lane: the cap is on the ladder, not on the keys.
        #expect(r.stdout.components(separatedBy: "class=\"key-lane\"").count - 1 == 8)
    }

    @Test func unusableCaptureExitsTwo() throws {
        let r = try CommandRunner.buttonscope(["report", Paths.capture("not-a-capture.pcap"), "-o", "-"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(!r.stderr.isEmpty)
    }
}
