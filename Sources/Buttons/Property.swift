/// The entries an x-buttons description may carry, by their one-letter wire names.
///
/// Declared in canonical order (`k` first, then `c o a n l d i b f m r s t x`) so that
/// `allCases` is the order the encoder writes and `KeyState.changes` reports.
public enum Property: String, CaseIterable, Hashable, Sendable, Codable {
    case key = "k"
    case light = "c"
    case color = "o"
    case action = "a"
    case destination = "n"
    case label = "l"
    case displayName = "d"
    case caller = "i"
    case direction = "b"
    case forward = "f"
    case mwi = "m"
    case release = "r"
    case state = "s"
    case treatment = "t"
    case type = "x"

    /// The wire letter, e.g. `"c"`.
    public var letter: String { rawValue }

    /// The snake_case name used in JSON output and `KeyState.changes`.
    public var jsonName: String {
        switch self {
        case .key: return "key"
        case .light: return "light"
        case .color: return "color"
        case .action: return "action"
        case .destination: return "destination"
        case .label: return "label"
        case .displayName: return "display_name"
        case .caller: return "caller"
        case .direction: return "direction"
        case .forward: return "forward"
        case .mwi: return "mwi"
        case .release: return "release"
        case .state: return "state"
        case .treatment: return "treatment"
        case .type: return "type"
        }
    }

    /// Words for messages: "label", "display name".
    var spokenName: String {
        self == .displayName ? "display name" : jsonName
    }

    /// Text only shown to the user (label, display name, caller): a bad byte there looks wrong
    /// on the display but does not make the phone misread the key.
    var isDisplayText: Bool {
        self == .label || self == .displayName || self == .caller
    }

    /// Free text rather than a value from a list.
    var isFreeText: Bool {
        isDisplayText || self == .key || self == .destination
    }

    /// Position in canonical order (0 for `k`).
    var canonicalRank: Int {
        Property.allCases.firstIndex(of: self) ?? Property.allCases.count
    }
}
