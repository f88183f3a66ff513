/// One lamp description: the lines between two empty lines.
public struct KeyDescription: Hashable, Sendable, Codable {
    /// The `k=` value when `k=` is the first entry; nil otherwise (the phone would not know
    /// which key the description is for).
    public var key: String?
    /// Entries in wire order, unknown letters included.
    public var entries: [Entry]
    /// 1-based line number of the description's first entry.
    public var line: Int

    public init(key: String?, entries: [Entry], line: Int) {
        self.key = key
        self.entries = entries
        self.line = line
    }

    /// A description whose key is taken the way a phone takes it: from a leading `k=`.
    public init(entries: [Entry]) {
        let first = entries.first
        self.init(key: first?.property == .key ? first?.value : nil,
                  entries: entries,
                  line: first?.line ?? 0)
    }

    /// A description that sets `state` on `key`: `k=` first, then every property that differs
    /// from its default, in canonical order, numbered from `line`.
    public init(key: String, state: KeyState, line: Int = 1) {
        var entries = [Entry(.key, key, line: line)]
        for (property, value) in state.nonDefaultValues {
            entries.append(Entry(property, value, line: line + entries.count))
        }
        self.init(key: key, entries: entries, line: line)
    }

    /// The key's state after the phone applies this description (it replaces the whole state).
    public var state: KeyState { KeyState(self) }

    /// The last value given for `property`, if any.
    public func value(of property: Property) -> String? {
        entries.last(where: { $0.property == property })?.value
    }
}
