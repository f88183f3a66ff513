import Testing
@testable import Buttons
import TestSupport

@Suite struct ValueGrammarTests {
    /// (entry, expected code or nil when the value is valid).
    static let cases: [(String, String?)] = [
        ("c=off", nil), ("c=on", nil), ("c=hold", nil), ("c=pickup", nil), ("c=park", nil),
        ("c=message", nil), ("c=offline", nil), ("c=error", nil),
        ("c=record", "device-specific-value"), ("c=blink", "invalid-value"), ("c=ON", "invalid-value"),
        ("c=on ", "invalid-value"), ("c=", "invalid-value"),
        ("o=local", nil), ("o=remote", nil), ("o=red", nil), ("o=green", nil), ("o=orange", nil),
        ("o=#A0b0C0", nil), ("o=#12345", "invalid-value"), ("o=#12345G", "invalid-value"),
        ("o=#1234567", "invalid-value"), ("o=blue", "invalid-value"),
        ("a=invite", nil), ("a=message", nil), ("a=seize", nil), ("a=release", nil),
        ("a=park", "device-specific-value"), ("a=", "invalid-value"), ("a=INVITE", "invalid-value"),
        ("b=in", nil), ("b=out", nil), ("b=up", "invalid-value"),
        ("f=always 1234", nil), ("f=busy", "forward-without-target"), // issue 15: forward = "f=" ("always" / "busy") text
        ("f=never", "invalid-value"), ("f=", "invalid-value"),
        ("m=2/5", nil), ("m=0/0", nil), ("m=2/", "invalid-value"), ("m=a/1", "invalid-value"),
        ("m=25", "invalid-value"), ("m=1/2/3", "invalid-value"),
        ("m=99999999999999999999999999/1", nil),
        ("r=ignore", nil), ("r=hangup", nil), ("r=engage", nil), ("r=drop", "invalid-value"),
        ("s=", nil), ("s=dnd", nil), ("s=dnd offline", nil), ("s=logoff  dnd", nil), ("s=busy", "invalid-value"),
        ("t=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>", nil), ("t=tok some text", nil),
        ("t=", "invalid-value"), ("t= x", "invalid-value"), ("t=tök", "invalid-value"),
        ("x=ext", nil), ("x=queue", nil), ("x=group", nil), ("x=line", nil), ("x=flag", nil),
        ("x=conf", nil), ("x=mwi", nil), ("x=park", "invalid-value"),
        ("n=", "empty-value"), ("n=*6013", nil), ("l=", "empty-value"), // issue 15: text = 1*TEXT-UTF8char
        ("d=Alice Smith", nil), ("i=19781234567", nil),
    ]

    @Test(arguments: cases)
    func value(entry: String, expected: String?) {
        let document = decode(["k=1", entry])
        #expect(document.codes == (expected.map { [$0] } ?? []), "\(entry)")
        if let finding = document.findings.first {
            #expect(finding.line == 2)
            #expect(finding.key == "1")
        }
    }

    @Test func emptyKeyIsInvalid() {
        let document = decode(["k="])
        #expect(document.codes == ["invalid-value"])
        #expect(document.keys == [""])
    }

    @Test func severities() {
        #expect(decode(["k=1", "c=record"]).findings.first?.severity == .info)
        #expect(decode(["k=1", "a=park"]).findings.first?.severity == .warning)
        #expect(decode(["k=1", "c=blink"]).findings.first?.severity == .error)
    }

    @Test func hintsForCaseAndSpaces() {
        #expect(decode(["k=1", "c=ON"]).findings.first?.message.contains("lowercase") == true)
        #expect(decode(["k=1", "c=on "]).findings.first?.message.contains("surrounding spaces") == true)
    }
}
