import Buttons

/// The phone's keys and what each holds, changed only by applying documents.
///
/// Spec semantics: a description replaces the key's whole state (defaults plus its entries), so a
/// key set to `c=on l=Sales` and then sent `k=3 l=42` loses its light. A description without a
/// leading `k=` names no key and is ignored, as a phone must.
public struct PhoneKeyPanel: Sendable {
    public private(set) var keys: [String: KeyState] = [:]
    /// Descriptions not applied because a limit was reached (`PhoneLimits`), counted since the start.
    public private(set) var ignoredDescriptions = 0

    public init() {}

    /// Applies every description in document order; returns one change per description that
    /// altered a key (a key seen for the first time counts as altered). A phone has a fixed number
    /// of keys: past `limits`, descriptions are ignored and counted in `ignoredDescriptions`.
    public mutating func apply(_ document: ButtonsDocument, limits: PhoneLimits = PhoneLimits()) -> [PhoneKeyChange] {
        var changes: [PhoneKeyChange] = []
        for (index, description) in document.descriptions.enumerated() {
            guard let key = description.key else { continue }
            guard index < limits.maxDescriptionsPerDocument, key.utf8.count <= limits.maxKeyNameBytes,
                  keys[key] != nil || keys.count < limits.maxKeys else {
                ignoredDescriptions += 1
                continue
            }
            let new = description.state
            let old = keys[key]
            keys[key] = new
            if old != new {
                changes.append(PhoneKeyChange(key: key, state: new, changed: new.changes(from: old ?? .defaults), isNew: old == nil))
            }
        }
        return changes
    }

    /// Keys in panel order: numbers first, numerically, then names.
    public var orderedKeys: [String] {
        keys.keys.sorted(by: PhoneKeyPanel.panelOrder)
    }

    public static func panelOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }
}

/// One key's new state, and which properties differ from before (snake_case names).
public struct PhoneKeyChange: Hashable, Sendable {
    public var key: String
    public var state: KeyState
    public var changed: [String]
    public var isNew: Bool
}
