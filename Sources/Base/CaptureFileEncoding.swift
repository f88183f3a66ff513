/// The bytes of pcap and pcapng files, little-endian, for every writer of one: `export` and
/// `watch -w` (CaptureWriter), a HEP collector's `-w` (FleetCaptureWriter), the sender's recording,
/// Decryption Secrets Blocks. One encoding, so a fix to one writer is a fix to all.
public enum CaptureFileEncoding {
    public static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    public static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }

    /// Classic pcap's file header (version 2.4), microsecond or nanosecond magic.
    public static func pcapHeader(linkType: UInt32, nanosecond: Bool = false, snapLength: UInt32 = 262_144) -> [UInt8] {
        le32(nanosecond ? 0xa1b2_3c4d : 0xa1b2_c3d4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(snapLength) + le32(linkType)
    }

    /// A classic pcap record: seconds, the fraction in the file's unit, the lengths, the bytes.
    public static func pcapRecord(seconds: UInt32, fraction: UInt32, bytes: [UInt8], originalLength: UInt32) -> [UInt8] {
        le32(seconds) + le32(fraction) + le32(UInt32(bytes.count)) + le32(originalLength) + bytes
    }

    /// A pcapng block: its type, its total length before and after the body.
    public static func block(type: UInt32, body: [UInt8]) -> [UInt8] {
        let total = UInt32(12 + body.count)
        return le32(type) + le32(total) + body + le32(total)
    }

    /// The Section Header Block: byte-order magic, version 1.0, section length unknown; `options`
    /// end with `endOfOptions` when given.
    public static func sectionHeader(options: [UInt8] = []) -> [UInt8] {
        block(type: 0x0a0d_0d0a, body: le32(0x1a2b_3c4d) + le16(1) + le16(0) + le32(0xffff_ffff) + le32(0xffff_ffff) + options)
    }

    /// An Interface Description Block.
    public static func interfaceDescription(linkType: UInt16, snapLength: UInt32 = 262_144, options: [UInt8] = []) -> [UInt8] {
        block(type: 1, body: le16(linkType) + le16(0) + le32(snapLength) + options)
    }

    /// An Enhanced Packet Block; `timestamp` in the interface's unit (microseconds unless its
    /// if_tsresol says otherwise).
    public static func enhancedPacket(interface: UInt32, timestamp: UInt64, bytes: [UInt8], originalLength: UInt32,
                                      options: [UInt8] = []) -> [UInt8] {
        block(type: 6, body: le32(interface) + le32(UInt32(timestamp >> 32)) + le32(UInt32(timestamp & 0xffff_ffff))
              + le32(UInt32(bytes.count)) + le32(originalLength) + bytes + padding(bytes.count) + options)
    }

    /// One option: code, length, value padded to 32 bits.
    public static func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        le16(code) + le16(UInt16(value.count)) + value + padding(value.count)
    }

    /// opt_endofopt.
    public static let endOfOptions: [UInt8] = [0, 0, 0, 0]

    public static func padding(_ n: Int) -> [UInt8] { [UInt8](repeating: 0, count: (4 - n % 4) % 4) }
}
