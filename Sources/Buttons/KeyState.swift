/// A key's whole state as the spec defines it, named by meaning.
///
/// A description replaces the key's state: "the previously stored value for that property will
/// be overwritten in any case". So a state is built from the defaults (light `off`, action
/// `invite`, everything else absent) plus the description's entries, never merged with the
/// key's previous state. Values are kept as read, valid or not, so a timeline shows what the
/// phone was told.
public struct KeyState: Hashable, Sendable, Codable {
    public var light: String
    public var color: String?
    public var action: String
    public var destination: String?
    public var label: String?
    public var displayName: String?
    public var caller: String?
    public var direction: String?
    public var forward: String?
    public var mwi: String?
    public var release: String?
    public var state: String?
    public var treatment: String?
    public var type: String?

    public static let defaultLight = "off"
    public static let defaultAction = "invite"

    /// The state of a key no description has touched, and of every property a description omits.
    public static let defaults = KeyState()

    public init(light: String = KeyState.defaultLight, color: String? = nil,
                action: String = KeyState.defaultAction, destination: String? = nil,
                label: String? = nil, displayName: String? = nil, caller: String? = nil,
                direction: String? = nil, forward: String? = nil, mwi: String? = nil,
                release: String? = nil, state: String? = nil, treatment: String? = nil,
                type: String? = nil) {
        self.light = light
        self.color = color
        self.action = action
        self.destination = destination
        self.label = label
        self.displayName = displayName
        self.caller = caller
        self.direction = direction
        self.forward = forward
        self.mwi = mwi
        self.release = release
        self.state = state
        self.treatment = treatment
        self.type = type
    }

    /// Defaults plus the description's entries; when an entry repeats, the last one wins.
    /// `k=` and unknown letters do not belong to the state.
    public init(_ description: KeyDescription) {
        self.init()
        for entry in description.entries {
            if let property = entry.property { self[property] = entry.value }
        }
    }

    enum CodingKeys: String, CodingKey {
        case light, color, action, destination, label
        case displayName = "display_name"
        case caller, direction, forward, mwi, release, state, treatment, type
    }

    /// Reads or sets a property by its wire letter. `.key` is not part of the state: it reads
    /// as nil and setting it does nothing. Setting nil on light or action restores the default.
    public subscript(property: Property) -> String? {
        get {
            switch property {
            case .key: return nil
            case .light: return light
            case .color: return color
            case .action: return action
            case .destination: return destination
            case .label: return label
            case .displayName: return displayName
            case .caller: return caller
            case .direction: return direction
            case .forward: return forward
            case .mwi: return mwi
            case .release: return release
            case .state: return state
            case .treatment: return treatment
            case .type: return type
            }
        }
        set {
            switch property {
            case .key: break
            case .light: light = newValue ?? KeyState.defaultLight
            case .color: color = newValue
            case .action: action = newValue ?? KeyState.defaultAction
            case .destination: destination = newValue
            case .label: label = newValue
            case .displayName: displayName = newValue
            case .caller: caller = newValue
            case .direction: direction = newValue
            case .forward: forward = newValue
            case .mwi: mwi = newValue
            case .release: release = newValue
            case .state: state = newValue
            case .treatment: treatment = newValue
            case .type: type = newValue
            }
        }
    }

    /// The state's properties in canonical order (light, color, action, destination, …).
    static let stateProperties: [Property] = Property.allCases.filter { $0 != .key }

    /// snake_case names of the properties whose value differs from `old`, in canonical order.
    public func changes(from old: KeyState) -> [String] {
        KeyState.stateProperties.filter { self[$0] != old[$0] }.map(\.jsonName)
    }

    /// (snake_case name, value) for every property that has a value, in canonical order:
    /// what renderers print.
    public var fields: [(name: String, value: String)] {
        KeyState.stateProperties.compactMap { property in
            self[property].map { (name: property.jsonName, value: $0) }
        }
    }

    /// Properties that differ from the defaults, in canonical order: what a minimal
    /// description must carry to produce this state.
    public var nonDefaultValues: [(property: Property, value: String)] {
        KeyState.stateProperties.compactMap { property in
            guard let value = self[property], value != KeyState.defaults[property] else { return nil }
            return (property: property, value: value)
        }
    }
}
