import Testing
@testable import Buttons
import TestSupport

@Suite struct ModSnomTests {
    @Test func bodyWithoutAction() {
        let body = ModSnomBody(key: "1", light: "on", label: "Night")
        #expect(String(decoding: body.bytes, as: UTF8.self) == "k=1\nc=on\nl=Night\n\n")
    }

    @Test func bodyWithActionPutsTheEighthArgumentInN() {
        let body = ModSnomBody(key: "4", light: "offline", label: "DND", actionName: "message", action: "*79")
        #expect(String(decoding: body.bytes, as: UTF8.self) == "k=4\nc=offline\nl=DND\nn=*79\na=message\n")
    }

    @Test func loneActionNameIsDropped() {
        let body = ModSnomBody(key: "1", light: "on", label: "x", actionName: "message")
        #expect(String(decoding: body.bytes, as: UTF8.self) == "k=1\nc=on\nl=x\n\n")
    }

    @Test func decodesAsAPhoneReadsIt() {
        let plain = ButtonsDocument(decoding: ModSnomBody(key: "1", light: "on", label: "Night").bytes)
        #expect(plain.codes == ["bare-lf"])
        #expect(plain.lineEnding == .lf)
        #expect(plain.descriptions.count == 1)
        #expect(plain.descriptions[0].state == KeyState(light: "on", label: "Night"))

        let full = ButtonsDocument(decoding: ModSnomBody(key: "4", light: "on", label: "DND",
                                                         actionName: "message", action: "*78").bytes)
        #expect(full.codes == ["bare-lf"])
        #expect(full.descriptions[0].state == KeyState(light: "on", action: "message", destination: "*78", label: "DND"))
    }

    @Test func nothingIsChecked() {
        // mod_snom passes any light through; the decoder is what catches it.
        let document = ButtonsDocument(decoding: ModSnomBody(key: "1", light: "blink", label: "x").bytes)
        #expect(document.codes == ["bare-lf", "invalid-value"])
    }

    @Test func bindKeyArguments() throws {
        let six = try #require(SnomBindKeyArguments(line: "2 on 'Office Hours' 44 pbx.example internal"))
        #expect(six.body == ModSnomBody(key: "2", light: "on", label: "Office Hours"))
        #expect([six.user, six.host, six.profile] == ["44", "pbx.example", "internal"])

        let seven = try #require(SnomBindKeyArguments(line: "2 on x 44 pbx.example internal message"))
        #expect(seven.body.actionName == nil && seven.body.action == nil)

        let eight = try #require(SnomBindKeyArguments(line: "4 on DND 44 h p message *78 and more"))
        #expect(eight.body.actionName == "message")
        #expect(eight.body.action == "*78 and more")

        #expect(SnomBindKeyArguments(line: "1 on x 44 host") == nil)
        #expect(SnomBindKeyArguments(line: "") == nil)
    }
}
