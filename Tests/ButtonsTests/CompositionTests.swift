import Testing
@testable import Buttons
import TestSupport

@Suite struct CompositionTests {
    @Test func validEntries() {
        let composition = ButtonsDocument.compose(entries: ["k=1", "c=on", "l=Night"])
        #expect(String(decoding: composition.body, as: UTF8.self) == "k=1\r\nc=on\r\nl=Night\r\n")
        #expect(composition.isValid)
        #expect(composition.findings.isEmpty)
        #expect(composition.document.descriptions[0].state == KeyState(light: "on", label: "Night"))
    }

    @Test func emptyStringStartsTheNextDescription() {
        let composition = ButtonsDocument.compose(entries: ["k=1", "c=on", "", "k=2", "c=hold"])
        #expect(composition.document.keys == ["1", "2"])
        #expect(composition.isValid)
    }

    @Test func orderIsKeptAsGiven() {
        let composition = ButtonsDocument.compose(entries: ["c=on", "k=1"])
        #expect(String(decoding: composition.body, as: UTF8.self) == "c=on\r\nk=1\r\n")
        #expect(!composition.isValid)
        #expect(composition.findings.map(\.code) == ["key-not-first"])
    }

    @Test func entriesOnOneLineAreRejected() {
        let composition = ButtonsDocument.compose(entries: ["k=3 c=on l=Sales"])
        #expect(!composition.isValid)
        #expect(composition.findings.map(\.code) == ["entries-on-one-line"])
    }

    @Test func lineBreakInsideAnEntry() {
        let composition = ButtonsDocument.compose(entries: ["k=1", "l=a\nb"])
        #expect(!composition.isValid)
        #expect(composition.findings.first?.code == "forbidden-character")
        #expect(composition.findings.first?.line == 2)
        #expect(composition.document.descriptions[0].state.label == "a b")
    }

    @Test func invalidValue() {
        let composition = ButtonsDocument.compose(entries: ["k=1", "c=blink"])
        #expect(!composition.isValid)
        #expect(composition.findings.map(\.code) == ["invalid-value"])
    }
}
