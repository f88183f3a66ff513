import Base

/// The grammar's edges a value can pass the value lists with and still break: the spec's ABNF
/// makes text one or more characters (`text = TEXT-UTF8-TRIM = 1*TEXT-UTF8char …`), `f=` a mode
/// followed by text, and a line end in CRLF. Each finding quotes the spec's own words.
public enum GrammarEdges {
    /// The code of a last line with no line end (left out of lint where a cut body explains it).
    public static let missingLineEndCode = ButtonsCode.missingLineEnd.rawValue

    static let textRule = "the spec's grammar makes text one or more characters (text = TEXT-UTF8-TRIM = 1*TEXT-UTF8char)"

    /// The finding for one entry's value, if it sits on one of the edges.
    static func check(_ property: Property, _ value: String, place: String) -> (code: ButtonsCode, severity: Diagnostic.Severity, message: String)? {
        switch property {
        case .label, .displayName, .caller, .destination:
            guard value.isEmpty else { return nil }
            var message = "\(place): \(property.letter)= is empty, but \(textRule). "
                + "To get the default, leave the entry out: \"If an entry is not present, then a default value shall apply.\""
            if property == .destination {
                message += " With no Number \"the device will not perform any action\" when the key is pressed."
            }
            return (ButtonsCode.emptyValue, .warning, message)
        case .forward:
            guard PropertyValues.forwardModes.contains(value.trimmed) else { return nil }
            return (ButtonsCode.forwardWithoutTarget, .warning,
                    "\(place): f=\(value) names no target: the spec's grammar is forward = \"f=\" (\"always\" / \"busy\") text, "
                    + "and \(textRule), so the phone has no number to show the key forwarded to.")
        default:
            return nil
        }
    }

    static func missingLineEnd(_ place: String) -> String {
        "\(place): the body ends without a line end. The spec: \"The document contains of CRLF-separated lines\" and "
            + "\"a CRLF combination is the clear indication that the line ends\": a strict phone may not apply this last entry. "
            + "End every line, the last included, with CRLF."
    }
}
