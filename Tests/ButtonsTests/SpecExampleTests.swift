import Testing
@testable import Buttons
import TestSupport

/// The examples of Snom's "LED Remote Control" page, with the line breaks its flattened text lost.
@Suite struct SpecExampleTests {
    @Test func sipsakExampleWithItsTrailingCR() {
        // The spec's Content-Length 10 counts "k=1" CRLF "c=on" CR.
        let document = ButtonsDocument(decoding: Array("k=1\r\nc=on\r".utf8))
        #expect(document.descriptions.count == 1)
        #expect(document.descriptions.first?.key == "1")
        #expect(document.descriptions.first?.state.light == "on")
        #expect(document.codes == ["lone-final-cr"])
        #expect(document.finding("lone-final-cr")?.severity == .info)
        #expect(!document.hasErrors)
    }

    @Test func sipsakExampleWithCRLF() {
        let document = decode(["k=1", "c=on"])
        #expect(document.findings.isEmpty)
        #expect(document.lineEnding == .crlf)
        #expect(document.descriptions.first?.state == KeyState(light: "on"))
    }

    @Test func initialStateOfFourKeys() {
        let document = decode(["k=1", "", "k=2", "", "k=3", "l=42", "", "k=4", "c=on", "n=79", "a=invite", "l=Office Hours"])
        #expect(document.findings.isEmpty)
        #expect(document.keys == ["1", "2", "3", "4"])
        #expect(document.descriptions[0].state == KeyState.defaults)
        #expect(document.descriptions[2].state == KeyState(label: "42"))
        #expect(document.descriptions[3].state
            == KeyState(light: "on", action: "invite", destination: "79", label: "Office Hours"))
        #expect(document.descriptions[3].line == 8)
        #expect(document.descriptions[3].entries.map(\.line) == [8, 9, 10, 11, 12])
    }

    @Test func incomingCallThenClearedLine() {
        let ringing = decode(["k=3", "l=42", "c=pickup", "i=19781234567", "n=*6013", "a=invite"])
        #expect(ringing.findings.isEmpty)
        let ringingState = ringing.descriptions[0].state
        #expect(ringingState.light == "pickup")
        #expect(ringingState.caller == "19781234567")
        #expect(ringingState.destination == "*6013")

        // "k=3 l=42" alone replaces the whole state: lamp off, caller and number gone.
        let cleared = decode(["k=3", "l=42"]).descriptions[0].state
        #expect(cleared.light == "off")
        #expect(cleared.caller == nil)
        #expect(cleared.destination == nil)
        #expect(cleared.label == "42")
        #expect(cleared.changes(from: ringingState) == ["light", "destination", "caller"])
    }

    @Test func sharedLineSeizeDocument() {
        let document = decode(["k=2", "n=*602co2", "a=seize", "l=(co2)"])
        #expect(document.findings.isEmpty)
        #expect(document.descriptions[0].state == KeyState(action: "seize", destination: "*602co2", label: "(co2)"))
    }

    @Test func lineSeizedDocument() {
        let document = decode(["k=1", "c=on", "n=*603co1", "a=release", "l=(co1)"])
        #expect(document.findings.isEmpty)
        #expect(document.descriptions[0].state.action == "release")
    }

    @Test func seizeMessageFromThePhone() {
        let document = decode(["k=1", "a=seize", "t=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>"])
        #expect(document.findings.isEmpty)
        #expect(document.descriptions[0].state.treatment == "<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>")
    }

    @Test func doNotDisturbOnAndOff() {
        let before = decode(["k=4", "l=DND", "n=*78", "a=message"])
        let after = decode(["k=4", "c=offline", "l=DND", "n=*79", "a=message"])
        #expect(before.findings.isEmpty && after.findings.isEmpty)
        let old = before.descriptions[0].state
        let new = after.descriptions[0].state
        #expect(old.action == "message" && new.action == "message")
        #expect(new.changes(from: old) == ["light", "destination"])
    }

    @Test func flattenedExampleReadLiterallyIsOneKeyName() {
        // The spec's flattened text, sent as is: one line.
        let document = decode(["k=3 l=42 c=pickup i=19781234567 n=*6013 a=invite"])
        #expect(document.keys == ["3 l=42 c=pickup i=19781234567 n=*6013 a=invite"])
        let finding = document.finding("entries-on-one-line")
        #expect(finding?.severity == .error)
        #expect(finding?.message.contains("a key named") == true)
        #expect(document.descriptions[0].state.light == "off")
    }
}
