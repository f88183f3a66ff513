@testable import SIPCapture
import Testing
import Buttons
import SIP
@testable import Analysis
import TestSupport

@Suite struct DocumentLintTests {
    func lint(_ m: CapturedMessage) -> [LintFinding] {
        guard let carried = CarriedDocument(m) else { Issue.record("no document found in frame \(m.frame)"); return [] }
        return DocumentLint.findings(for: carried)
    }

    /// Content-Length 7 on `k=2\r\nc=on\r\n`: the phone reads `k=2\r\nc=`, and lint shows both bodies.
    @Test func aBodyCutByContentLengthShowsBothBodies() {
        let m = toPhone("k=2\r\nc=on\r\n", frame: 4, contentLength: 7)
        let findings = lint(m)
        guard let cut = findings.first(where: { $0.code == "content-length-mismatch" }) else {
            Issue.record("no content-length-mismatch in \(findings.map(\.code))"); return
        }
        #expect(cut.severity == .error)
        #expect(cut.frame == 4)
        #expect(cut.readBody == Array("k=2\r\nc=".utf8))
        #expect(cut.wireBody == Array("k=2\r\nc=on\r\n".utf8))
        #expect(cut.message.contains(#""k=2\r\nc=""#))
        #expect(cut.message.contains(#""k=2\r\nc=on\r\n""#))
        #expect(cut.user == "44")
        #expect(cut.key == "2")
        // The cut document is decoded as the phone read it: an empty light value, a line without ending.
        #expect(findings.contains { $0.code == "invalid-value" })

        var timeline = KeyTimeline()
        let event = timeline.add(m, exchange: nil).first
        #expect(event?.isPartial == true)
        #expect(event?.state.light == "")
    }

    @Test func buttonsFindingsCarryUserKeyAndFrame() {
        let m = toPhone("k=4\nc=off\nl=Support\n\n", frame: 3)
        let findings = lint(m)
        let bare = findings.first { $0.code == "bare-lf" }
        #expect(bare?.severity == .warning)
        #expect(bare?.frame == 3)
        #expect(bare?.user == "44")
        #expect(bare?.line == 1)
    }

    @Test func wrongContentTypeBothWays() {
        let hidden = lint(toPhone("k=3\r\nc=on\r\n", frame: 1, contentType: "text/plain"))
        let w = hidden.first { $0.code == "wrong-content-type" }
        #expect(w?.severity == .error)
        #expect(w?.message.contains("text/plain") == true)

        let notButtons = lint(toPhone("hello phone\r\n", frame: 2))
        #expect(notButtons.contains { $0.code == "wrong-content-type" })

        let fine = lint(toPhone("k=3\r\nc=on\r\n", frame: 5, contentType: "Application/X-Buttons; charset=utf-8"))
        #expect(fine.isEmpty, "a clean document has no findings: \(fine.map(\.code))")
    }

    @Test func sipLevelDiagnosticsAreIncluded() {
        // TCP without Content-Length: the receiver cannot find the end of the body.
        let m = toPhone("k=3\r\nc=on\r\n", frame: 6, contentLength: nil, transport: .tcp)
        let findings = lint(m)
        let missing = findings.first { $0.code == "content-length-missing" }
        #expect(missing?.severity == .error)
        #expect(missing?.frame == 6)
    }

    @Test func previewEscapesControls() {
        #expect(DocumentLint.preview(Array("k=1\r\n\u{1b}[2J".utf8)) == #""k=1\r\n\x1b[2J""#)
        let long = DocumentLint.preview(Array(String(repeating: "x", count: 500).utf8))
        #expect(long.hasSuffix("…\""))
        #expect(long.count < 200)
    }
}
