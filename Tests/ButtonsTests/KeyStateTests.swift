import Foundation
import Testing
@testable import Buttons
import TestSupport

@Suite struct KeyStateTests {
    @Test func defaults() {
        let state = KeyState.defaults
        #expect(state.light == "off")
        #expect(state.action == "invite")
        #expect(state.fields.map(\.name) == ["light", "action"])
        #expect(KeyState(KeyDescription(entries: [Entry(.key, "7", line: 1)])) == state)
    }

    @Test func everyLetterSetsItsProperty() {
        let letters = ["c", "o", "a", "n", "l", "d", "i", "b", "f", "m", "r", "s", "t", "x"]
        let names = ["light", "color", "action", "destination", "label", "display_name", "caller",
                     "direction", "forward", "mwi", "release", "state", "treatment", "type"]
        for (letter, name) in zip(letters, names) {
            let description = KeyDescription(entries: [Entry(.key, "1", line: 1),
                                                       Entry(letter: letter, value: "v-\(letter)", line: 2)])
            let state = description.state
            #expect(state.changes(from: .defaults) == [name])
            #expect(state.fields.first { $0.name == name }?.value == "v-\(letter)")
        }
    }

    @Test func fieldsAreInCanonicalOrderAndSkipAbsentOnes() {
        let state = KeyState(light: "on", destination: "79", label: "Office", type: "line")
        #expect(state.fields.map(\.name) == ["light", "action", "destination", "label", "type"])
        #expect(state.fields.map(\.value) == ["on", "invite", "79", "Office", "line"])
    }

    @Test func changesListsEveryDifference() {
        let old = KeyState(light: "on", color: "red", caller: "123")
        let new = KeyState(light: "on", action: "message", displayName: "Bob")
        #expect(new.changes(from: old) == ["color", "action", "display_name", "caller"])
        #expect(new.changes(from: new).isEmpty)
    }

    @Test func jsonUsesSnakeCaseAndOmitsAbsentProperties() throws {
        let state = KeyState(light: "pickup", displayName: "Alice", caller: "42")
        let data = try JSONEncoder().encode(state)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object == ["light": "pickup", "action": "invite", "display_name": "Alice", "caller": "42"])
        #expect(try JSONDecoder().decode(KeyState.self, from: data) == state)
    }

    @Test func nonDefaultValuesMakeAMinimalDescription() {
        let state = KeyState(light: "off", action: "message", label: "DND")
        let description = KeyDescription(key: "4", state: state)
        #expect(description.entries.map(\.text) == ["k=4", "a=message", "l=DND"])
        #expect(description.entries.map(\.line) == [1, 2, 3])
        #expect(description.state == state)
    }

    @Test func subscriptRestoresDefaultsForLightAndAction() {
        var state = KeyState(light: "on", action: "seize")
        state[.light] = nil
        state[.action] = nil
        state[.key] = "ignored"
        #expect(state == .defaults)
    }
}
