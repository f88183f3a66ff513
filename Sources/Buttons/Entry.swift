/// One `x=value` line as the phone read it.
///
/// The letter is kept even when it names no known property, so the document shows what was
/// on the wire; `property` is nil for those.
public struct Entry: Hashable, Sendable, Codable {
    /// The single letter before `=`.
    public var letter: String
    /// The value as written (invalid UTF-8 replaced by U+FFFD), not trimmed or normalised.
    public var value: String
    /// 1-based line number in the body.
    public var line: Int

    public init(letter: String, value: String, line: Int) {
        self.letter = letter
        self.value = value
        self.line = line
    }

    public init(_ property: Property, _ value: String, line: Int) {
        self.init(letter: property.letter, value: value, line: line)
    }

    public var property: Property? {
        // One ASCII byte (nearly always): a switch on it rather than a String comparison per case.
        let utf8 = letter.utf8
        if utf8.count == 1, let byte = utf8.first { return CleanBodyDecoder.property(byte) }
        return Property(rawValue: letter)
    }

    /// The entry as written on its line, without line ending: `c=on`.
    public var text: String { letter + "=" + value }
}
