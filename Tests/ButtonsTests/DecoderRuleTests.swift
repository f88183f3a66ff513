import Testing
@testable import Buttons
import TestSupport

@Suite struct DecoderRuleTests {
    @Test func bareLFIsReadAndWarnedOnce() {
        let document = decode(["k=1", "c=on", "", "k=2", "c=hold"], ending: "\n")
        #expect(document.keys == ["1", "2"])
        #expect(document.lineEnding == .lf)
        #expect(document.codes == ["bare-lf"])
        let finding = document.finding("bare-lf")
        #expect(finding?.severity == .warning)
        #expect(finding?.message.contains("mod_snom") == true)
        #expect(finding?.line == 1)
    }

    @Test func mixedLineEndings() {
        let document = decode("k=1\r\nc=on\nl=x\r\n")
        #expect(document.lineEnding == .mixed)
        #expect(document.codes == ["bare-lf"])
        #expect(document.finding("bare-lf")?.line == 2)
        #expect(document.descriptions[0].state == KeyState(light: "on", label: "x"))
    }

    @Test func noLineEndingAtAll() {
        let document = decode("k=1")
        #expect(document.lineEnding == .none)
        #expect(!document.lastLineTerminated)
        #expect(document.keys == ["1"])
        // Issue 15: "a CRLF combination is the clear indication that the line ends".
        #expect(document.codes == ["missing-line-end"])
    }

    @Test func loneCRInsideALineIsForbidden() {
        let document = decode("k=1\r\nl=A\rB\r\n")
        let finding = document.finding("forbidden-character")
        #expect(finding?.line == 2)
        #expect(finding?.key == "1")
        #expect(finding?.message.contains("CR") == true)
        #expect(document.descriptions[0].state.label == "A\rB")
    }

    @Test func trailingEmptyDescriptionIsHarmless() {
        let document = decode("k=1\r\nc=on\r\n\r\n")
        #expect(document.descriptions.count == 1)
        #expect(document.findings.isEmpty)
        #expect(document.lineCount == 3)  // k=1, c=on and the empty line
    }

    @Test func leadingAndRepeatedEmptyLinesAreHarmless() {
        let document = decode(["", "k=1", "", "", "k=2"])
        #expect(document.keys == ["1", "2"])
        #expect(document.findings.isEmpty)
    }

    @Test func keyNotFirst() {
        let document = decode(["k=1", "", "c=on", "k=2", "l=Sales"])
        let finding = document.finding("key-not-first")
        #expect(finding?.severity == .error)
        #expect(finding?.line == 3)
        #expect(finding?.key == "2")
        #expect(finding?.message.contains("line 4") == true)
        #expect(document.descriptions.count == 2)
        #expect(document.descriptions[1].key == nil)
        #expect(document.keys == ["1"])
    }

    @Test func descriptionWithNoKeyAtAll() {
        let document = decode(["c=on", "l=Sales"])
        #expect(document.descriptions.count == 1)
        #expect(document.descriptions[0].key == nil)
        #expect(document.finding("key-not-first")?.message.contains("no k= at all") == true)
        #expect(document.finding("key-not-first")?.key == nil)
    }

    /// Issue 15 item 11: text "may contain space and UTF-8 encoded characters", so in a label
    /// ` c=` is text: a warning (the c= is not applied); in an enumerated value, an error.
    @Test func entriesOnOneLineInAValueOtherThanTheKey() {
        let document = decode(["k=1", "l=Sales c=on"])
        let finding = document.finding("entries-on-one-line")
        #expect(finding?.severity == .warning)
        #expect(finding?.key == "1")
        #expect(finding?.line == 2)
        #expect(finding?.message.contains("c=") == true)
        #expect(document.descriptions[0].state.light == "off")
        #expect(document.descriptions[0].state.label == "Sales c=on")
        #expect(decode(["k=1", "c=on l=Sales"]).finding("entries-on-one-line")?.severity == .error)
    }

    @Test func equalsSignInTextWithoutTheSpaceLetterPatternIsFine() {
        let document = decode(["k=1", "l=a=b", "d=x =y"])
        #expect(document.findings.isEmpty)
    }

    @Test func unknownProperty() {
        let document = decode(["k=1", "z=5", "c=on"])
        #expect(document.codes == ["unknown-property"])
        #expect(document.finding("unknown-property")?.severity == .warning)
        #expect(document.descriptions[0].entries.map(\.letter) == ["k", "z", "c"])
        #expect(document.descriptions[0].state == KeyState(light: "on"))
    }

    @Test func upperCaseLetterIsUnknownWithAHint() {
        let document = decode(["k=1", "C=on"])
        #expect(document.finding("unknown-property")?.message.contains("lowercase") == true)
        #expect(document.descriptions[0].state.light == "off")
    }

    @Test func invalidEntries() {
        let document = decode(["k=1", "hello", "key=2", "=3", "c=on"])
        #expect(document.codes == ["invalid-entry", "invalid-entry", "invalid-entry"])
        #expect(document.findings.map(\.line) == [2, 3, 4])
        #expect(document.findings.allSatisfy { $0.severity == .error && $0.key == "1" })
        #expect(document.descriptions[0].entries.map(\.letter) == ["k", "c"])
    }

    @Test func tabInLabelIsAWarningTabInKeyAnError() {
        let label = decode(["k=1", "l=A\tB"])
        #expect(label.finding("forbidden-character")?.severity == .warning)
        #expect(label.finding("forbidden-character")?.message.contains("TAB") == true)
        let key = decode(["k=1\t"])
        #expect(key.finding("forbidden-character")?.severity == .error)
        #expect(key.keys == ["1\t"])
    }

    @Test func nulAndOtherControls() {
        let document = decode(["k=1", "n=12\u{0}3\u{1B}"])
        let finding = document.finding("forbidden-character")
        #expect(finding?.severity == .error)
        #expect(finding?.message.contains("NUL") == true)
        #expect(finding?.message.contains("0x1B") == true)
    }

    @Test func invalidUTF8IsReplacedAndReported() {
        var bytes = Array("k=1\r\nl=M".utf8)
        bytes += [0xFC] + Array("ller\r\n".utf8)
        let document = ButtonsDocument(decoding: bytes)
        #expect(document.finding("invalid-utf8")?.severity == .warning)
        #expect(document.descriptions[0].state.label == "M\u{FFFD}ller")

        let badKey = ButtonsDocument(decoding: Array("k=".utf8) + [0xC3, 0x28])
        #expect(badKey.finding("invalid-utf8")?.severity == .error)
        #expect(badKey.descriptions.count == 1)
    }

    @Test func validUTF8IsNotReported() {
        let document = decode(["k=Zürich", "l=日本 Office"])
        #expect(document.findings.isEmpty)
        #expect(document.keys == ["Zürich"])
    }

    @Test(arguments: ["", "\r\n", "\r\n\r\n", "  \n", "\n\n\n"])
    func emptyDocument(text: String) {
        let document = decode(text)
        #expect(document.codes == ["empty-document"])
        #expect(document.finding("empty-document")?.severity == .warning)
        #expect(document.descriptions.isEmpty)
    }

    @Test func secondKeyInOneDescriptionMeansAMissingEmptyLine() {
        let document = decode(["k=1", "c=on", "k=2", "c=off"])
        #expect(document.descriptions.count == 1)
        let duplicates = document.findings.filter { $0.code == "duplicate-entry" }
        #expect(duplicates.count == 2)
        #expect(duplicates[0].severity == .error)
        #expect(duplicates[0].line == 3)
        #expect(duplicates[1].severity == .warning)
        #expect(document.descriptions[0].key == "1")
        #expect(document.descriptions[0].state.light == "off")
    }

    @Test func repeatedPropertyLastWins() {
        let document = decode(["k=1", "l=first", "l=second"])
        #expect(document.codes == ["duplicate-entry"])
        #expect(document.descriptions[0].state.label == "second")
        #expect(document.descriptions[0].value(of: .label) == "second")
    }

    @Test func whitespaceOnlyLineSeparatesWithAWarning() {
        let document = decode(["k=1", "  ", "k=2"])
        #expect(document.keys == ["1", "2"])
        #expect(document.codes == ["whitespace-only-line"])
    }

    @Test func surroundingSpaceInKey() {
        let document = decode(["k=1 ", "l= Sales"])
        let spaces = document.findings.filter { $0.code == "surrounding-space" }
        #expect(spaces.count == 2)
        #expect(spaces.allSatisfy { $0.severity == .warning })
        #expect(document.keys == ["1 "])
    }

    @Test func documentCutByContentLength() {
        let document = decode("k=2\r\nc=")
        #expect(document.keys == ["2"])
        #expect(document.descriptions[0].entries == [Entry(.key, "2", line: 1), Entry(.light, "", line: 2)])
        #expect(!document.lastLineTerminated)
        let finding = document.finding("invalid-value")
        #expect(finding?.severity == .error)
        #expect(finding?.key == "2")
        #expect(finding?.line == 2)
    }

    @Test func findingsNameTheirKeyAndLineAndLeaveTheFrameToTheCaller() {
        let document = decode(["k=1", "c=on", "", "k=2", "c=blink"])
        #expect(document.findings.count == 1)
        let finding = document.findings[0]
        #expect(finding.key == "2")
        #expect(finding.line == 5)
        #expect(finding.message.contains("line 5"))
        #expect(finding.message.contains("'2'"))
        #expect(document.diagnostics == [finding.diagnostic])
        #expect(document.diagnostics[0].frame == nil)
    }

    @Test func findingsAreCapped() {
        let document = decode(Array(repeating: "garbage", count: 1000))
        #expect(document.findings.count == ButtonsDecoder.findingLimit + 1)
        #expect(document.findings.last?.code == "findings-truncated")
        #expect(document.findings.last?.message.contains("800") == true)
    }
}
