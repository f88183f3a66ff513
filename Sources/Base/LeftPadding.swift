extension String {
    /// `self` with `pad` in front up to `width` characters: hex bytes, counters and times in
    /// fixed-width columns, without Foundation's `String(format:)`.
    public func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
