import Analysis
import Buttons

/// How a key's state and a document's fate print: JSON objects with every property named by
/// meaning, and short text for the terminal.
public enum KeyStateRendering {
    public static let properties = Property.allCases.filter { $0 != .key }

    /// Every property, null when absent: consumers need not know the defaults.
    public static func jsonFields(_ state: KeyState) -> [(String, JSONValue)] {
        properties.map { ($0.jsonName, JSONValue.optional(state[$0])) }
    }

    public static func json(_ state: KeyState) -> JSONValue { .object(jsonFields(state)) }

    /// The same object as `json`, written straight out (`JSONWriter`).
    public static func write(_ state: KeyState, to w: inout JSONWriter) {
        w.beginObject()
        for (p, name) in zip(properties, jsonNames) {
            w.key(name)
            w.string(state[p])
        }
        w.endObject()
    }

    /// `properties`' JSON names, written out once: every key event of a live view writes all of them.
    private static let jsonNames = properties.map { JSONWriter.Name($0.jsonName) }

    /// `light=pickup label=42 caller=19781234567`: the light always, the action only when not
    /// the default, everything else when set. Values made terminal-safe.
    public static func text(_ state: KeyState) -> String {
        state.fields.filter { $0.name != "action" || $0.value != KeyState.defaultAction }
            .map { "\($0.name)=\(quoted($0.value))" }.joined(separator: " ")
    }

    public static func quoted(_ value: String) -> String {
        let safe = TerminalText.safe(value)
        // A byte search: Foundation's `contains(" ")` cost a tenth of `state`'s instructions.
        return safe.isEmpty || safe.utf8.contains(0x20) ? "\"\(safe)\"" : safe
    }

    /// `accepted 200`, or `✓ 200` on a terminal; padded to `width` before colouring so columns line up.
    public static func outcome(_ outcome: ExchangeOutcome, status: Int?, width: Int = 0) -> String {
        let code = status.map { " \($0)" } ?? ""
        guard TerminalColour.enabled else { return pad(outcome.rawValue + code, width) }
        switch outcome {
        case .accepted: return paint(pad("✓" + code, width), .green)
        case .rejected: return paint(pad("✗" + code, width), .red)
        case .unanswered: return paint(pad("✗ unanswered", width), .red)
        case .unknown: return paint(pad("? unknown", width), .yellow)
        }
    }

    public static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    public enum Colour: String { case green = "32", red = "31", yellow = "33", dim = "2", bold = "1" }

    public static func paint(_ s: String, _ colour: Colour) -> String {
        TerminalColour.enabled ? "\u{1b}[\(colour.rawValue)m\(s)\u{1b}[0m" : s
    }

    /// A lamp as a symbol on a terminal (`●` lit, `◐` blinking kinds, `○` off, `✗` failed), else its word.
    public static func lamp(_ light: String) -> String {
        guard TerminalColour.enabled else { return TerminalText.safe(light) }
        switch light {
        case "on": return paint("●", .green)
        case "off": return paint("○", .dim)
        case "pickup", "hold", "park", "message", "record": return paint("◐", .yellow)
        case "offline", "error": return paint("✗", .red)
        default: return "?"
        }
    }
}
