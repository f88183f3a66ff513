import TLSKeys
import Base

/// pcapng: sections, several interfaces with their own link types and timestamp resolutions.
final class PcapngDecoder {
    private struct Interface {
        var linkType: LinkType
        var snapLength: Int
        /// Timestamp units per second, from `if_tsresol` (default microseconds).
        var unitsPerSecond: UInt64 = 1_000_000
        var offsetSeconds: Int64 = 0
    }

    private let source: ByteSource
    private var bigEndian = false
    private var interfaces: [Interface] = []
    /// Decryption Secrets Blocks met since the caller last took them (see `takeSecrets`).
    var secretsBlocks: [DecryptionSecretsBlock.Content] = []

    /// Largest block we accept; a bigger length means the file is damaged.
    static let maxBlock = 16 << 20

    init?(source: ByteSource, path: String) throws {
        let magic = Array(source.peek(4))
        guard magic == [0x0a, 0x0d, 0x0d, 0x0a] else { return nil }
        self.source = source
        let head = Array(source.peek(12))
        guard head.count == 12 else {
            throw CaptureError.notACapture(path: path, detail: "pcapng section header cut short")
        }
        switch (head[8], head[9], head[10], head[11]) {
        case (0x1a, 0x2b, 0x3c, 0x4d): bigEndian = true
        case (0x4d, 0x3c, 0x2b, 0x1a): bigEndian = false
        default: throw CaptureError.notACapture(path: path, detail: "pcapng section header with a bad byte-order magic")
        }
    }

    func next() -> CaptureRecord {
        while true {
            let head = source.readArray(8)
            if head.isEmpty { return .end }
            guard head.count == 8 else {
                return .damaged(CaptureCode.fileTruncated, "the file ends inside a pcapng block header")
            }
            if head[0...3] == [0x0a, 0x0d, 0x0d, 0x0a] {
                // A new section may switch byte order: read it from the section's own magic.
                let bom = Array(source.peek(4))
                if bom == [0x1a, 0x2b, 0x3c, 0x4d] { bigEndian = true }
                else if bom == [0x4d, 0x3c, 0x2b, 0x1a] { bigEndian = false }
                else { return .damaged(CaptureCode.fileGarbage, "a pcapng section header has a bad byte-order magic") }
                interfaces = []
            }
            let type = head.u32(0, bigEndian: bigEndian)!
            let total = Int(head.u32(4, bigEndian: bigEndian)!)
            if total < 12 || total % 4 != 0 || total > Self.maxBlock {
                return .damaged(CaptureCode.fileGarbage, "a pcapng block claims a length of \(total) bytes: the rest of the file is not a capture")
            }
            if source.cannotHold(total - 8) {
                // Checked before reading: nothing is allocated for bytes the file does not have.
                let held = source.skip(total - 8)
                return .damaged(CaptureCode.fileTruncated, "the file ends inside a pcapng block (\(held + 8) of \(total) bytes)")
            }
            let body = source.readArray(total - 8)
            if body.count < total - 8 {
                return .damaged(CaptureCode.fileTruncated, "the file ends inside a pcapng block (\(body.count + 8) of \(total) bytes)")
            }
            let content = body[0..<(body.count - 4)]
            switch type {
            case 0x0A0D_0D0A: continue
            case 1: readInterface(content)
            case 6: if let f = enhancedPacket(content) { return f }
            case 3: if let f = simplePacket(content) { return f }
            case 2: if let f = obsoletePacket(content) { return f }
            case DecryptionSecretsBlock.blockType:
                secretsBlocks.append(DecryptionSecretsBlock.decode(content, bigEndian: bigEndian))
            default: continue
            }
        }
    }

    private func readInterface(_ b: ArraySlice<UInt8>) {
        let base = b.startIndex
        guard let link = b.u16(base, bigEndian: bigEndian), let snap = b.u32(base + 4, bigEndian: bigEndian) else { return }
        var iface = Interface(linkType: LinkType(UInt32(link)), snapLength: Int(snap))
        var at = base + 8
        while let code = b.u16(at, bigEndian: bigEndian), let len = b.u16(at + 2, bigEndian: bigEndian), code != 0 {
            let value = at + 4
            if code == 9, let r = b.u8(value) {
                // High bit set: a power of two; else a power of ten.
                let exp = Int(r & 0x7f)
                if r & 0x80 != 0 { iface.unitsPerSecond = exp < 63 ? 1 << UInt64(exp) : 1_000_000 }
                else { iface.unitsPerSecond = exp <= 19 ? (0..<exp).reduce(UInt64(1)) { a, _ in a * 10 } : 1_000_000 }
                if iface.unitsPerSecond == 0 { iface.unitsPerSecond = 1_000_000 }
            } else if code == 14, len >= 8, let first = b.u32(value, bigEndian: bigEndian), let second = b.u32(value + 4, bigEndian: bigEndian) {
                // One signed 64-bit integer in the section's byte order (not two 32-bit words).
                let (high, low) = bigEndian ? (first, second) : (second, first)
                iface.offsetSeconds = Int64(bitPattern: UInt64(high) << 32 | UInt64(low))
            }
            at = value + (Int(len) + 3) / 4 * 4
        }
        interfaces.append(iface)
    }

    private func timestamp(_ iface: Interface, high: UInt32, low: UInt32) -> Timestamp {
        let units = UInt64(high) << 32 | UInt64(low)
        let secs = units / iface.unitsPerSecond
        let rem = units % iface.unitsPerSecond
        let nanos = iface.unitsPerSecond >= 1_000_000_000
            ? rem / (iface.unitsPerSecond / 1_000_000_000)
            : rem * (1_000_000_000 / iface.unitsPerSecond)
        // Saturating, then clamped: an offset at the end of the 64-bit range must not wrap or trap.
        return Timestamp(seconds: Int64(clamping: secs).addingSaturating(iface.offsetSeconds), nanoseconds: Int64(nanos))
            .clampedToSaneRange
    }

    private func enhancedPacket(_ b: ArraySlice<UInt8>) -> CaptureRecord? {
        let base = b.startIndex
        guard let id = b.u32(base, bigEndian: bigEndian), let hi = b.u32(base + 4, bigEndian: bigEndian),
              let lo = b.u32(base + 8, bigEndian: bigEndian), let cap = b.u32(base + 12, bigEndian: bigEndian),
              let orig = b.u32(base + 16, bigEndian: bigEndian) else {
            return .damaged(CaptureCode.fileGarbage, "an enhanced packet block is too short for its header")
        }
        guard Int(id) < interfaces.count else {
            return .damaged(CaptureCode.fileGarbage, "a packet names interface \(id), which the file never described")
        }
        let iface = interfaces[Int(id)]
        let dataStart = base + 20
        guard Int(cap) <= b.endIndex - dataStart else {
            return .damaged(CaptureCode.fileGarbage, "a packet claims \(cap) captured bytes but its block holds \(b.endIndex - dataStart)")
        }
        return .frame(CapturedFrame(number: 0, timestamp: timestamp(iface, high: hi, low: lo), linkType: iface.linkType,
                                    bytes: Array(b[dataStart..<(dataStart + Int(cap))]),
                                    originalLength: max(Int(orig), Int(cap)), interfaceID: Int(id)))
    }

    private func simplePacket(_ b: ArraySlice<UInt8>) -> CaptureRecord? {
        guard let iface = interfaces.first, let orig = b.u32(b.startIndex, bigEndian: bigEndian) else {
            return .damaged(CaptureCode.fileGarbage, "a simple packet block with no interface described before it")
        }
        let dataStart = b.startIndex + 4
        var cap = min(Int(orig), b.endIndex - dataStart)
        if iface.snapLength > 0 { cap = min(cap, iface.snapLength) }
        return .frame(CapturedFrame(number: 0, timestamp: Timestamp(seconds: 0, nanoseconds: 0), linkType: iface.linkType,
                                    bytes: Array(b[dataStart..<(dataStart + cap)]), originalLength: Int(orig)))
    }

    private func obsoletePacket(_ b: ArraySlice<UInt8>) -> CaptureRecord? {
        let base = b.startIndex
        guard let id = b.u16(base, bigEndian: bigEndian), let hi = b.u32(base + 4, bigEndian: bigEndian),
              let lo = b.u32(base + 8, bigEndian: bigEndian), let cap = b.u32(base + 12, bigEndian: bigEndian),
              let orig = b.u32(base + 16, bigEndian: bigEndian), Int(id) < interfaces.count,
              Int(cap) <= b.endIndex - (base + 20) else {
            return .damaged(CaptureCode.fileGarbage, "a damaged packet block")
        }
        let iface = interfaces[Int(id)]
        return .frame(CapturedFrame(number: 0, timestamp: timestamp(iface, high: hi, low: lo), linkType: iface.linkType,
                                    bytes: Array(b[(base + 20)..<(base + 20 + Int(cap))]),
                                    originalLength: max(Int(orig), Int(cap)), interfaceID: Int(id)))
    }
}
