import Testing
@testable import Buttons
import TestSupport

/// Issue 15 items 11, 12, 13 and 3: the grammar's edges, each test quoting the spec sentence it follows.
@Suite struct SpecEdgeTests {
    // Item 11. Spec: "Text is encoded in UTF-8 format. It may not contain special characters like
    // CR, LF or TAB; but it may contain space and UTF-8 encoded characters."
    @Test("Text \"may contain space and UTF-8 encoded characters\": l=Press a=b now is a label, a warning")
    func freeTextWithEqualsIsAWarning() {
        let doc = decode(["k=3", "c=on", "l=Press a=b now"])
        let f = doc.finding("entries-on-one-line")
        #expect(f?.severity == .warning)
        #expect(f?.key == "3")
        #expect(doc.descriptions.first?.state.label == "Press a=b now")
        #expect(!doc.hasErrors)
        // The same on the other free-text properties.
        for letter in ["n", "d", "i"] {
            #expect(decode(["k=3", "\(letter)=Call x=1 now"]).finding("entries-on-one-line")?.severity == .warning, "\(letter)=")
        }
    }

    @Test("Entries on one line stay an error for k= and for enumerated values")
    func keyAndEnumerationsStayErrors() {
        #expect(decode(["k=3 c=on l=Sales"]).finding("entries-on-one-line")?.severity == .error)
        for line in ["c=on a=message", "a=invite n=79", "b=in c=on", "x=line l=x", "r=hangup c=on", "o=red c=on"] {
            let f = decode(["k=4", line]).finding("entries-on-one-line")
            #expect(f?.severity == .error, "\(line)")
        }
    }

    @Test("send accepts the free-text case and still refuses k=3 c=on")
    func composeAcceptsTheWarningCase() {
        #expect(ButtonsDocument.compose(entries: ["k=3", "c=on", "l=Press a=b now"]).isValid)
        #expect(!ButtonsDocument.compose(entries: ["k=3 c=on l=Sales"]).isValid)
    }

    // Item 12. ABNF: forward = "f=" ("always" / "busy") text CRLF; text = TEXT-UTF8-TRIM = 1*TEXT-UTF8char …
    @Test("forward = \"f=\" (\"always\" / \"busy\") text: f=always with no target is a finding")
    func forwardWithoutTarget() {
        for value in ["always", "busy", "always "] {
            let f = decode(["k=5", "f=\(value)"]).finding("forward-without-target")
            #expect(f?.severity == .warning, "f=\(value)")
            #expect(f?.message.contains("\"f=\" (\"always\" / \"busy\") text") == true)
        }
        #expect(decode(["k=5", "f=always 1234"]).finding("forward-without-target") == nil)
        #expect(decode(["k=5", "f=busy Reception"]).codes.isEmpty)
    }

    @Test("text = TEXT-UTF8-TRIM = 1*TEXT-UTF8char: empty l= n= d= i= are findings")
    func emptyText() {
        for letter in ["l", "n", "d", "i"] {
            let doc = decode(["k=6", "c=on", "\(letter)="])
            let f = doc.finding("empty-value")
            #expect(f?.severity == .warning, "\(letter)=")
            #expect(f?.message.contains("1*TEXT-UTF8char") == true)
            #expect(f?.message.contains("If an entry is not present, then a default value shall apply.") == true)
        }
        #expect(decode(["k=6", "n="]).finding("empty-value")?.message.contains("the device will not perform any action") == true)
        // An empty k= was already an error of its own.
        #expect(decode(["k="]).finding("invalid-value")?.severity == .error)
    }

    @Test("\"a CRLF combination is the clear indication that the line ends\": a last line with no line end is a finding")
    func lastLineWithoutLineEnd() {
        let doc = decode("k=7\r\nc=on\r\nl=Last")
        let f = doc.finding("missing-line-end")
        #expect(f?.severity == .warning)
        #expect(f?.line == 3)
        #expect(f?.key == "7")
        #expect(f?.message.contains("a CRLF combination is the clear indication that the line ends") == true)
        #expect(doc.descriptions.first?.state.label == "Last")
        // Ended properly (CRLF, or mod_snom's LF), or the spec's own sipsak CR: not this finding.
        #expect(decode("k=7\r\nl=Last\r\n").finding("missing-line-end") == nil)
        #expect(decode("k=7\nl=Last\n").finding("missing-line-end") == nil)
        #expect(decode("k=1\r\nc=on\r").finding("missing-line-end") == nil)
    }

    /// The fast path and the full decoder agree on every edge (the fast one must give up on them).
    @Test func cleanDecoderGivesUpOnEveryEdge() {
        for text in ["k=5\r\nf=always\r\n", "k=6\r\nl=\r\n", "k=7\r\nl=Last", "k=3\r\nl=Press a=b now\r\n"] {
            #expect(CleanBodyDecoder.decode(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(CleanBodyDecoder.decode(Array("k=5\r\nf=always 1234\r\n".utf8)) == nil) // f= always the long way
        #expect(CleanBodyDecoder.decode(Array("k=1\r\nc=on\r\nl=Night\r\n".utf8)) != nil)
    }

    // Item 13. Spec: "Please not that the button name (k=1,2,3,...) must be the first entry!"
    @Test("\"the button name (k=1,2,3,...) must be the first entry!\": K=1 is a document without k= first, not another body")
    func upperCaseKLooksLikeButtons() {
        let body = Array("K=1\r\nc=on\r\n".utf8)
        #expect(!ButtonsDocument.looksLikeButtons(body))
        #expect(ButtonsDocument.looksLikeButtons(body, ignoringCase: true))
        let doc = ButtonsDocument(decoding: body)
        #expect(doc.finding("key-not-first")?.message.contains("K= is not k=") == true)
        #expect(doc.finding("unknown-property") != nil)
        // SDP is still not x-buttons, whatever the case.
        #expect(!ButtonsDocument.looksLikeButtons(Array("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n".utf8), ignoringCase: true))
    }

    // Item 3: what `replay --fix` sends must be a document `lint` passes.
    @Test("--fix splits k=3 c=on l=Sales (\"Each line may contain description entries for the lamp\", one a line)")
    func repairSplitsPackedEntries() {
        let r = ButtonsRepair.repair(Array("k=3 c=on l=Sales\r\n".utf8))
        #expect(String(decoding: r.body, as: UTF8.self) == "k=3\r\nc=on\r\nl=Sales\r\n")
        #expect(r.isValid)
        #expect(r.changes.contains { $0.contains("split 'k=3 c=on l=Sales'") })
        // Free text keeps its ` x=`: the label is "Press a=b now".
        let label = ButtonsRepair.repair(Array("k=3 c=on l=Press a=b now\r\n".utf8))
        #expect(String(decoding: label.body, as: UTF8.self) == "k=3\r\nc=on\r\nl=Press a=b now\r\n")
    }

    @Test("--fix separates descriptions (\"Empty lines indicate the beginning of a new lamp description\") instead of re-sorting them together")
    func repairSeparatesDescriptions() {
        let r = ButtonsRepair.repair(Array("k=1\r\nc=on\r\nk=2\r\nc=off\r\nl=Two\r\n".utf8))
        #expect(String(decoding: r.body, as: UTF8.self) == "k=1\r\nc=on\r\n\r\nk=2\r\nc=off\r\nl=Two\r\n")
        #expect(r.isValid)
        #expect(ButtonsDocument(decoding: r.body).findings.isEmpty)
        #expect(r.changes.contains { $0.contains("started a new description at k=2") })
    }

    @Test func repairMendsCaseKeyOrderAndSaysWhatItCannot() {
        let r = ButtonsRepair.repair(Array("K=1\nc=ON\nl=A\nbogus\n".utf8))
        #expect(String(decoding: r.body, as: UTF8.self) == "k=1\r\nc=on\r\nl=A\r\n")
        #expect(r.isValid)
        #expect(r.changes.contains { $0.contains("K= → k=") })
        #expect(r.changes.contains { $0.contains("left out 'bogus'") })
        let moved = ButtonsRepair.repair(Array("c=on\r\nk=3\r\n".utf8))
        #expect(String(decoding: moved.body, as: UTF8.self) == "k=3\r\nc=on\r\n")
        let hopeless = ButtonsRepair.repair(Array("k=3\r\nc=blinking\r\n".utf8))
        #expect(!hopeless.isValid)
        #expect(hopeless.unfixable.map(\.code) == ["invalid-value"])
        let clean = ButtonsRepair.repair(Array("k=3\r\nc=on\r\n".utf8))
        #expect(clean.changes.isEmpty && clean.body == Array("k=3\r\nc=on\r\n".utf8))
    }

    /// Hostile input: a long packed line and control bytes never trap, and a good line after them is kept.
    @Test func repairSurvivesHostileBodies() {
        var bytes = Array("k=1".utf8)
        for _ in 0..<5_000 { bytes += Array(" c=on".utf8) }
        bytes += [0x0D, 0x0A, 0x00, 0x09, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A] + Array("k=2\r\nc=on\r\n".utf8)
        let r = ButtonsRepair.repair(bytes)
        #expect(ButtonsDocument(decoding: r.body).keys.contains("2"))
    }
}
