/// Reads big-endian fields off a byte slice; every read checks the length, so a lying length
/// field ends the parse (nil) instead of reading past the bytes.
struct ByteCursor {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }
    var remaining: Int { bytes.count }

    mutating func u8() -> UInt8? {
        guard let b = bytes.first else { return nil }
        bytes = bytes.dropFirst()
        return b
    }

    mutating func u16() -> UInt16? {
        guard let hi = u8(), let lo = u8() else { return nil }
        return UInt16(hi) << 8 | UInt16(lo)
    }

    mutating func u24() -> Int? {
        guard let a = u8(), let b = u16() else { return nil }
        return Int(a) << 16 | Int(b)
    }

    mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, bytes.count >= n else { return nil }
        defer { bytes = bytes.dropFirst(n) }
        return bytes.prefix(n)
    }

    /// A field with a length prefix of `prefixBytes` (1, 2 or 3) bytes.
    mutating func vector(_ prefixBytes: Int) -> ArraySlice<UInt8>? {
        let n: Int?
        switch prefixBytes {
        case 1: n = u8().map(Int.init)
        case 2: n = u16().map(Int.init)
        default: n = u24()
        }
        guard let n else { return nil }
        return take(n)
    }
}
