/// Descriptions already decoded, found again by their bytes and first line.
///
/// A PBX re-sends a phone's whole panel when one key changes: a busy capture decodes the same
/// `k=3`/`c=on`/`l=Reception` lines thousands of times, into the same Strings. A description
/// block seen before, at the same line, is taken from here instead (`CleanBodyDecoder`). Only
/// blocks every line of which ends in CRLF are kept, so a hit changes nothing a document says
/// about its line endings. Bounded: when full it starts again empty.
public struct DescriptionMemo: Sendable {
    struct Block: Sendable {
        var bytes: [UInt8]
        var line: Int
        var lines: Int
        var description: KeyDescription
    }

    /// Longer blocks are decoded each time: a description is a few short lines, and a memo of
    /// hostile 64 KiB blocks must not grow to hundreds of megabytes.
    static let maxBlockBytes = 512
    /// Blocks kept at most; 0 keeps none (and costs nothing).
    public let capacity: Int
    private var blocks: [Int: Block] = [:]
    /// Blocks found here rather than decoded.
    private(set) var hits = 0

    public init(capacity: Int = 2_048) { self.capacity = capacity }

    /// One that keeps nothing: decoding as if there were no memo, at no cost.
    public static let none = DescriptionMemo(capacity: 0)

    var count: Int { blocks.count }
    var isEnabled: Bool { capacity > 0 }

    /// A cheap hash of the block (eight bytes a step): a match is confirmed byte for byte, and
    /// equal hashes only replace one another, so a crafted collision costs a miss, never a chain.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        var h = UInt64(truncatingIfNeeded: line) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        while i < raw.count {
            h = (h ^ UInt64(raw[i])) &* 0xC4CE_B9FE_1A85_EC53
            i += 1
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    mutating func find(_ hash: Int, _ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> Block? {
        guard let b = blocks[hash], b.line == line,
              b.bytes.withUnsafeBufferPointer({ Self.same($0, bytes) }) else { return nil }
        hits += 1
        return b
    }

    /// Byte-for-byte equality, eight bytes a step (`elementsEqual` took 2,000 instructions a block).
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        let ra = UnsafeRawBufferPointer(a), rb = UnsafeRawBufferPointer(b)
        var i = 0
        while i + 8 <= ra.count {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < ra.count {
            if ra[i] != rb[i] { return false }
            i += 1
        }
        return true
    }

    mutating func keep(_ hash: Int, _ block: Block) {
        if blocks.count >= capacity { blocks.removeAll(keepingCapacity: true) }
        blocks[hash] = block
    }
}
