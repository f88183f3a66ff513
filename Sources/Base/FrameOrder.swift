extension Array where Element: Comparable {
    /// No element smaller than the one before it. Frames nearly always arrive in order, so a sort
    /// (a new array per message) is skipped when this holds.
    @inlinable public var isAscending: Bool { zip(self, dropFirst()).allSatisfy { $0 <= $1 } }
}
