// Capture files written byte by byte from the formats' descriptions (pcap, pcapng), so a reader's
// test holds it against an independent writer, not against its own encoder.

/// One classic pcap record.
public struct PcapRecord {
    public var seconds: UInt32
    public var fraction: UInt32
    public var data: [UInt8]
    public var originalLength: Int?

    public init(seconds: UInt32, fraction: UInt32, data: [UInt8], originalLength: Int? = nil) {
        self.seconds = seconds
        self.fraction = fraction
        self.data = data
        self.originalLength = originalLength
    }
}

public enum CaptureFile {
    /// The 24-byte classic pcap file header.
    public static func pcapHeader(bigEndian: Bool = false, nanoseconds: Bool = false, linkType: UInt32 = 1,
                                  snapLength: UInt32 = 65535) -> [UInt8] {
        let magic: UInt32 = nanoseconds ? 0xa1b2_3c4d : 0xa1b2_c3d4
        var b = u32(magic, bigEndian: bigEndian) + u16(2, bigEndian: bigEndian) + u16(4, bigEndian: bigEndian)
        b += u32(0, bigEndian: bigEndian) + u32(0, bigEndian: bigEndian)
        return b + u32(snapLength, bigEndian: bigEndian) + u32(linkType, bigEndian: bigEndian)
    }

    public static func pcap(bigEndian: Bool = false, nanoseconds: Bool = false, linkType: UInt32 = 1,
                            snapLength: UInt32 = 65535, _ records: [PcapRecord]) -> [UInt8] {
        var b = pcapHeader(bigEndian: bigEndian, nanoseconds: nanoseconds, linkType: linkType, snapLength: snapLength)
        for r in records { b += pcapRecord(r, bigEndian: bigEndian) }
        return b
    }

    public static func pcapRecord(_ r: PcapRecord, bigEndian: Bool = false, claimedLength: UInt32? = nil) -> [UInt8] {
        var b = u32(r.seconds, bigEndian: bigEndian) + u32(r.fraction, bigEndian: bigEndian)
        b += u32(claimedLength ?? UInt32(r.data.count), bigEndian: bigEndian)
        b += u32(UInt32(r.originalLength ?? r.data.count), bigEndian: bigEndian)
        return b + r.data
    }

    private static func block(_ type: UInt32, _ body: [UInt8], bigEndian: Bool) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        let total = UInt32(12 + padded.count)
        return u32(type, bigEndian: bigEndian) + u32(total, bigEndian: bigEndian) + padded + u32(total, bigEndian: bigEndian)
    }

    public static func sectionHeader(bigEndian: Bool = false) -> [UInt8] {
        block(0x0A0D_0D0A, u32(0x1A2B_3C4D, bigEndian: bigEndian) + u16(1, bigEndian: bigEndian) + u16(0, bigEndian: bigEndian)
              + [UInt8](repeating: 0xff, count: 8), bigEndian: bigEndian)
    }

    /// Interface Description Block; `tsresol` adds the if_tsresol option, `tsoffset` if_tsoffset
    /// (then opt_endofopt).
    public static func interface(linkType: UInt16, snapLength: UInt32 = 0, tsresol: UInt8? = nil, tsoffset: Int64? = nil,
                                 bigEndian: Bool = false) -> [UInt8] {
        var body = u16(linkType, bigEndian: bigEndian) + [0, 0] + u32(snapLength, bigEndian: bigEndian)
        if let r = tsresol {
            body += u16(9, bigEndian: bigEndian) + u16(1, bigEndian: bigEndian) + [r, 0, 0, 0]
        }
        if let offset = tsoffset {
            let v = UInt64(bitPattern: offset)
            body += u16(14, bigEndian: bigEndian) + u16(8, bigEndian: bigEndian) + u64(v, bigEndian: bigEndian)
        }
        if tsresol != nil || tsoffset != nil { body += [0, 0, 0, 0] }
        return block(1, body, bigEndian: bigEndian)
    }

    /// Enhanced Packet Block with a 64-bit timestamp in the interface's units.
    public static func packet(interface: UInt32, units: UInt64, data: [UInt8], originalLength: Int? = nil, bigEndian: Bool = false) -> [UInt8] {
        var body = u32(interface, bigEndian: bigEndian)
        body += u32(UInt32(units >> 32), bigEndian: bigEndian) + u32(UInt32(units & 0xffff_ffff), bigEndian: bigEndian)
        body += u32(UInt32(data.count), bigEndian: bigEndian) + u32(UInt32(originalLength ?? data.count), bigEndian: bigEndian)
        return block(6, body + data, bigEndian: bigEndian)
    }
}
