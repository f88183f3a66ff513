/// Which bytes of an IP datagram its fragments have covered so far, one bit per byte, so that a
/// datagram cut into thousands of fragments costs linear time: each fragment marks its own bits
/// and learns whether it overlaps, with no scan over (or sort of) the fragments before it.
struct FragmentCoverage {
    /// Room for the largest datagram a fragment may reach (65 535 plus an IPv6 header's worth).
    static let maxBytes = 65_535 + 64
    /// What one coverage costs in memory: counted with the fragment bytes held.
    static let byteCost = (maxBytes + 63) / 64 * 8

    private var words = [UInt64](repeating: 0, count: (maxBytes + 63) / 64)
    private var identities: Set<UInt64> = []
    /// Bits set in all.
    private(set) var covered = 0

    /// Marks `offset..<end`; returns whether any of it was covered before. A piece with the same
    /// offset and length as one already marked is a duplicate: `isDuplicate` and nothing marked.
    mutating func mark(offset: Int, end: Int) -> (isDuplicate: Bool, overlapped: Bool) {
        guard identities.insert(Self.identity(offset, end)).inserted else { return (true, false) }
        var overlapped = false
        var i = max(0, offset)
        let stop = min(end, Self.maxBytes)
        while i < stop {
            let word = i >> 6, bit = i & 63
            let span = min(64 - bit, stop - i)
            let mask = span == 64 ? UInt64.max : ((UInt64(1) << UInt64(span)) - 1) << UInt64(bit)
            let before = words[word]
            if before & mask != 0 { overlapped = true }
            covered += (mask & ~before).nonzeroBitCount
            words[word] = before | mask
            i += span
        }
        return (false, overlapped)
    }

    /// Every byte of `0..<total` is covered.
    func isComplete(upTo total: Int) -> Bool {
        guard covered >= total, total <= Self.maxBytes else { return false }
        let full = total >> 6
        for w in 0..<full where words[w] != .max { return false }
        let rest = total & 63
        if rest > 0 {
            let mask = (UInt64(1) << UInt64(rest)) - 1
            if words[full] & mask != mask { return false }
        }
        return true
    }

    static func identity(_ offset: Int, _ end: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: offset) << 32 | UInt64(truncatingIfNeeded: end - offset) & 0xffff_ffff
    }
}
