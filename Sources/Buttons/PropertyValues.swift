import Base

/// What the value grammars say about one entry's value.
enum ValueVerdict: Equatable {
    case valid
    /// Outside the spec's list but known to be used by some devices.
    case deviceSpecific(Diagnostic.Severity, String)
    /// A phone would not read it as intended; the text says why.
    case invalid(String)
}

/// The value grammar of each property, as PROTOCOL.md corrects the spec's ABNF.
enum PropertyValues {
    static let lights = ["off", "on", "hold", "pickup", "park", "message", "offline", "error"]
    /// Not in the spec's list; Kamailio's tests send it.
    static let deviceSpecificLights = ["record"]
    static let namedColors = ["local", "remote", "red", "green", "orange"]
    static let actions = ["invite", "message", "seize", "release"]
    static let directions = ["in", "out"]
    static let forwardModes = ["always", "busy"]
    static let releases = ["ignore", "hangup", "engage"]
    static let states = ["dnd", "logoff", "offline"]
    static let types = ["ext", "queue", "group", "line", "flag", "conf", "mwi"]

    static func verdict(_ property: Property, _ value: String) -> ValueVerdict {
        switch property {
        case .key:
            return value.isEmpty
                ? .invalid("k= has no value: a key with no name, which no key on the phone matches")
                : .valid
        case .light:
            if lights.contains(value) { return .valid }
            if deviceSpecificLights.contains(value) {
                return .deviceSpecific(.info, "light \(QuotedText.quote(value)) is not in the spec's list "
                    + "but some devices support it (Kamailio's tests send it); a phone without it may leave the lamp as it was")
            }
            return oneOf(property, value, lights)
        case .color:
            if namedColors.contains(value) || isHexColor(value) { return .valid }
            return .invalid(expected(property, value, "one of " + namedColors.joined(separator: " ") + " or #RRGGBB (6 hex digits)"))
        case .action:
            if actions.contains(value) { return .valid }
            if value.isEmpty || value != value.trimmed || value.lowercased() != value {
                return oneOf(property, value, actions)
            }
            return .deviceSpecific(.warning, "action \(QuotedText.quote(value)) is not one of "
                + actions.joined(separator: " ") + "; only some devices may know it, others ignore the key press or dial n=")
        case .direction:
            return directions.contains(value) ? .valid : oneOf(property, value, directions)
        case .forward:
            return isForward(value) ? .valid
                : .invalid(expected(property, value, "always or busy, then the forward target"))
        case .mwi:
            return isMWI(value) ? .valid
                : .invalid(expected(property, value, "new/old as two numbers, e.g. 2/5"))
        case .release:
            return releases.contains(value) ? .valid : oneOf(property, value, releases)
        case .state:
            let words = value.split(separator: " ", omittingEmptySubsequences: true)
            return words.allSatisfy({ states.contains(String($0)) }) ? .valid
                : .invalid(expected(property, value, "space-separated words from: " + states.joined(separator: " ") + " (or nothing)"))
        case .treatment:
            return isTreatment(value) ? .valid
                : .invalid(expected(property, value, "a token of printable ASCII (like <urn:uuid:…>), then optional text"))
        case .type:
            return types.contains(value) ? .valid : oneOf(property, value, types)
        case .destination, .label, .displayName, .caller:
            return .valid
        }
    }

    private static func oneOf(_ property: Property, _ value: String, _ list: [String]) -> ValueVerdict {
        .invalid(expected(property, value, "one of " + list.joined(separator: " ")))
    }

    /// "light 'ON' is not valid (expected …; values are lowercase)".
    private static func expected(_ property: Property, _ value: String, _ what: String) -> String {
        if value.isEmpty { return "\(property.letter)= is empty (expected \(what))" }
        var hint = ""
        if value.trimmed != value && verdict(property, value.trimmed) == .valid {
            hint = "; it would be valid without the surrounding spaces"
        } else if value.lowercased() != value && verdict(property, value.lowercased()) == .valid {
            hint = "; values are lowercase"
        }
        return "\(property.spokenName) \(QuotedText.quote(value)) is not valid (expected \(what)\(hint))"
    }

    static func isHexColor(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        return bytes.count == 7 && bytes[0] == UInt8(ascii: "#") && bytes.dropFirst().allSatisfy(isHexDigit)
    }

    static func isForward(_ value: String) -> Bool {
        forwardModes.contains { value.hasPrefix($0) }
    }

    static func isMWI(_ value: String) -> Bool {
        let parts = value.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(isDigit) }
    }

    /// `token [SP text]`, token = 1*%x21-7E.
    static func isTreatment(_ value: String) -> Bool {
        let bytes = value.utf8
        guard let first = bytes.first, first > 0x20, first < 0x7F else { return false }
        let token = bytes.prefix { $0 != 0x20 }
        return token.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
}

extension String {
    /// Without leading and trailing spaces (only U+0020: the spec's LWS).
    var trimmed: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " }),
              let last = scalars.lastIndex(where: { $0 != " " }) else { return "" }
        return String(scalars[start...last])
    }
}
