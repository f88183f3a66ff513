/// Header lines as they were read: one copy of the section's bytes, and where each name and value
/// lies in it. Most of a message's headers are never asked for (a collector reads a dozen values of
/// a response it pairs and prints); a string per name and value, made for each and freed again,
/// was most of the cost of reading a message and half of what it held.
struct HeaderLines: Sendable {
    struct Line: Sendable {
        /// The lookup key (`SIPHeader.key`), made when read: the common names are literal strings.
        let key: String
        let name: Range<UInt32>
        let value: Range<UInt32>
    }

    let bytes: [UInt8]
    let lines: [Line]

    @inline(__always) private func slice(_ r: Range<UInt32>) -> ArraySlice<UInt8> { bytes[Int(r.lowerBound)..<Int(r.upperBound)] }

    func value(_ line: Line) -> String { String(decoding: slice(line.value), as: UTF8.self) }

    /// The value's bytes, for readers that do not need a string (`TransactionFieldBytes`).
    func withValue<R>(_ line: Line, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(line.value.lowerBound)..<Int(line.value.upperBound)]))
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
        return SIPHeader(name: String(decoding: slice(line.name), as: UTF8.self), key: line.key,
                         value: String(decoding: valueBytes, as: UTF8.self), rawValue: Self.undecodable(valueBytes))
    }

    /// A value's bytes when they are not UTF-8 (kept so a replay sends them), else nil. Only a value
    /// with bytes ≥ 0x80 can be invalid: the check costs nothing for ASCII.
    static func undecodable<C: Collection>(_ value: C) -> [UInt8]? where C.Element == UInt8 {
        value.contains(where: { $0 >= 0x80 }) && String(validating: value, as: UTF8.self) == nil ? Array(value) : nil
    }

    var headers: [SIPHeader] { lines.map(header) }
}
