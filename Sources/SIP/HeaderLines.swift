/// Header lines as they were read: one copy of the section's bytes, and where each name and value
/// lies in it. Most of a message's headers are never asked for (a collector reads a dozen values of
/// a response it pairs and prints); a string per name and value, made for each and freed again,
/// was most of the cost of reading a message and half of what it held.
struct HeaderLines: Sendable {
    /// Ten bytes a line: where its name and value lie, and its key's number when the key is a
    /// common one (`SIPHeaderKey.known`). A section past 65,535 bytes is not kept this way (the
    /// parser makes its headers as values).
    struct Line: Sendable {
        let nameStart: UInt16, nameEnd: UInt16, valueStart: UInt16, valueEnd: UInt16
        /// `SIPHeaderKey` number; 0: another name, keyed from its bytes when asked.
        let known: UInt8

        init(name: Range<Int>, value: Range<Int>, known: UInt8) {
            nameStart = UInt16(name.lowerBound); nameEnd = UInt16(name.upperBound)
            valueStart = UInt16(value.lowerBound); valueEnd = UInt16(value.upperBound)
            self.known = known
        }

        var name: Range<Int> { Int(nameStart)..<Int(nameEnd) }
        var value: Range<Int> { Int(valueStart)..<Int(valueEnd) }
    }

    static let maxBytes = Int(UInt16.max)

    let bytes: [UInt8]
    let lines: [Line]

    @inline(__always) private func slice(_ r: Range<Int>) -> ArraySlice<UInt8> { bytes[r] }

    /// The line's lookup key (`SIPHeader.key`): the literal for a common one, made from the name's
    /// bytes for the others.
    func key(_ line: Line) -> String {
        if line.known > 0 { return SIPHeaderKey.known[Int(line.known)] }
        let name = slice(line.name)
        let quick: String?? = name.withContiguousStorageIfAvailable(SIPHeaderKey.key)
        return quick.flatMap { $0 } ?? SIPHeader.canonicalKey(String(decoding: name, as: UTF8.self))
    }

    /// The lines whose key is `key` (as `SIPHeader.canonicalKey` makes it), in order.
    func matching(_ key: String) -> LazyFilterSequence<[Line]> {
        let number = SIPHeaderKey.number(ofKey: key)
        if number > 0 { return lines.lazy.filter { $0.known == number } }
        return lines.lazy.filter { $0.known == 0 && self.key($0) == key }
    }

    /// The first line with the common key `number`.
    func first(_ number: UInt8) -> Line? { lines.first { $0.known == number } }

    /// The value as one of `common` when it is spelled exactly so (a literal: no string made
    /// and held for each message), else as `value` makes it.
    func value(_ line: Line, common: [String]) -> String {
        withValue(line) { b in common.first { SIPHeaderKey.spells($0, b) } } ?? value(line)
    }

    func value(_ line: Line) -> String { String(decoding: slice(line.value), as: UTF8.self) }

    /// The value's bytes, for readers that do not need a string (`TransactionFieldBytes`).
    func withValue<R>(_ line: Line, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[line.value]))
        }
    }

    /// A reader of the value's bytes, or of its string when it has bytes past ASCII: the string is
    /// what the string readers saw (replacement characters for bytes that are not UTF-8).
    func read<R>(_ line: Line, bytes: (UnsafeBufferPointer<UInt8>) -> R, string: (String) -> R) -> R {
        withValue(line) { b in b.contains(where: { $0 >= 0x80 }) ? string(value(line)) : bytes(b) }
    }

    /// The line as the header it was read as: the same name, key, value and raw bytes the parser
    /// used to make for every line.
    func header(_ line: Line) -> SIPHeader {
        let valueBytes = slice(line.value)
        return SIPHeader(name: String(decoding: slice(line.name), as: UTF8.self), key: key(line),
                         value: String(decoding: valueBytes, as: UTF8.self), rawValue: Self.undecodable(valueBytes))
    }

    /// A value's bytes when they are not UTF-8 (kept so a replay sends them), else nil. Only a value
    /// with bytes ≥ 0x80 can be invalid: the check costs nothing for ASCII.
    static func undecodable<C: Collection>(_ value: C) -> [UInt8]? where C.Element == UInt8 {
        value.contains(where: { $0 >= 0x80 }) && String(validating: value, as: UTF8.self) == nil ? Array(value) : nil
    }

    var headers: [SIPHeader] { lines.map(header) }
}
