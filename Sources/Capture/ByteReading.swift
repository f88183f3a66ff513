/// Integer reads at an offset that never trap: a short buffer yields nil.
extension Collection where Element == UInt8, Index == Int {
    @inline(__always)
    func u8(_ at: Int) -> UInt8? {
        at >= startIndex && at < endIndex ? self[at] : nil
    }

    @inline(__always)
    func u16be(_ at: Int) -> UInt16? {
        guard at >= startIndex, at + 2 <= endIndex else { return nil }
        return UInt16(self[at]) << 8 | UInt16(self[at + 1])
    }

    @inline(__always)
    func u32be(_ at: Int) -> UInt32? {
        guard at >= startIndex, at + 4 <= endIndex else { return nil }
        return UInt32(self[at]) << 24 | UInt32(self[at + 1]) << 16 | UInt32(self[at + 2]) << 8 | UInt32(self[at + 3])
    }

    @inline(__always)
    func u16(_ at: Int, bigEndian: Bool) -> UInt16? {
        guard let v = u16be(at) else { return nil }
        return bigEndian ? v : v.byteSwapped
    }

    @inline(__always)
    func u32(_ at: Int, bigEndian: Bool) -> UInt32? {
        guard let v = u32be(at) else { return nil }
        return bigEndian ? v : v.byteSwapped
    }
}
