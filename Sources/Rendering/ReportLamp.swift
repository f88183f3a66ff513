/// A lamp's light as the report draws it. The capture's `c=` value is untrusted: it is mapped
/// onto this fixed list, so only our own names ever reach a class attribute or a pattern id.
public enum ReportLamp: String, CaseIterable {
    case on, off, hold, pickup, park, message, record, offline, error
    /// A value the spec does not list: drawn as a question.
    case other

    public init(light: String) {
        self = ReportLamp(rawValue: light.lowercased()) ?? .other
    }

    /// The CSS class of a lamp (`lamp-pickup`) and the SVG fill of a lane span.
    public var cssClass: String { "lamp-" + rawValue }

    public var svgFill: String {
        switch self {
        case .on: return "#2e9d46"
        case .off: return "#e3e6ea"
        case .hold, .pickup, .park, .message, .record: return "url(#pat-\(rawValue))"
        case .offline: return "#6b7280"
        case .error: return "#c62828"
        case .other: return "url(#pat-other)"
        }
    }

    /// How it shows on a phone, in words for the legend.
    public var meaning: String {
        switch self {
        case .on: return "on (steady)"
        case .off: return "off"
        case .hold: return "hold (slow blink)"
        case .pickup: return "pickup (fast blink)"
        case .park: return "park (blink, striped)"
        case .message: return "message (pulse)"
        case .record: return "record"
        case .offline: return "offline"
        case .error: return "error"
        case .other: return "unknown value"
        }
    }

    /// The `o=` colour when it is one we can draw safely: a known name, or exactly `#RRGGBB`.
    public static func colour(_ value: String?) -> String? {
        guard let v = value?.lowercased() else { return nil }
        switch v {
        case "red": return "#d32f2f"
        case "green": return "#2e9d46"
        case "orange": return "#ef8a17"
        default:
            let hex = v.unicodeScalars.dropFirst()
            guard v.hasPrefix("#"), hex.count == 6,
                  hex.allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) }) else { return nil }
            return v
        }
    }
}
