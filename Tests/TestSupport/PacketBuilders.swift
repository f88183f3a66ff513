import Base
import Capture

// Small byte builders for the layer tests: headers are written field by field from the RFCs,
// checksums left zero unless asked for (the decoders do not verify them; tshark shows them).

public let hostA: [UInt8] = [10, 0, 0, 1]
public let hostB: [UInt8] = [10, 0, 0, 2]
public let host6A: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
public let host6B: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2]
/// `hostA:5060` and `hostB:5060`, as the extractor names the ends.
public let epA = Endpoint(address: IPAddress(hostA), port: 5060)
public let epB = Endpoint(address: IPAddress(hostB), port: 5060)

public enum Build {
    public static let macs: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

    /// Ethernet II (IPv4 unless `type` says otherwise), with 802.1Q/802.1ad `tags` if given.
    public static func ethernet(type: UInt16 = 0x0800, tags: [(tpid: UInt16, vid: UInt16)] = [], macs: [UInt8] = macs,
                                _ payload: [UInt8]) -> [UInt8] {
        var b = macs
        for t in tags { b += be16(t.tpid) + be16(t.vid) }
        return b + be16(type) + payload
    }

    /// IPv4 header (+ options, a multiple of 4 bytes) and payload. `totalLength` overrides the real one;
    /// `dontFragment` sets DF; `checksum` writes the real header checksum.
    public static func ipv4(src: [UInt8] = hostA, dst: [UInt8] = hostB, proto: UInt8, id: UInt16 = 0x1234,
                            moreFragments: Bool = false, dontFragment: Bool = false, offset: Int = 0, options: [UInt8] = [],
                            totalLength: Int? = nil, checksum: Bool = false, _ payload: [UInt8]) -> [UInt8] {
        let ihl = (20 + options.count) / 4
        let total = totalLength ?? (20 + options.count + payload.count)
        let flagsOffset = UInt16((moreFragments ? 0x2000 : 0) | (dontFragment ? 0x4000 : 0) | (offset / 8))
        var b: [UInt8] = [UInt8(0x40 | ihl), 0]
        b += be16(UInt16(truncatingIfNeeded: total)) + be16(id) + be16(flagsOffset)
        b += [64, proto, 0, 0] + src + dst + options
        if checksum {
            let sum = internetChecksum(b)
            b[10] = UInt8(sum >> 8); b[11] = UInt8(sum & 0xff)
        }
        return b + payload
    }

    /// RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.
    public static func internetChecksum(_ header: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for i in stride(from: 0, to: header.count - 1, by: 2) { sum += UInt32(header[i]) << 8 | UInt32(header[i + 1]) }
        if header.count % 2 == 1 { sum += UInt32(header[header.count - 1]) << 8 }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    /// IPv6 fixed header; `next` is the first next-header value, `payload` includes any extension headers.
    public static func ipv6(src: [UInt8] = host6A, dst: [UInt8] = host6B, next: UInt8, payloadLength: Int? = nil,
                            _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payloadLength ?? payload.count)) + [next, 64] + src + dst + payload
    }

    /// An 8-byte-multiple extension header (hop-by-hop, destination options): next, len, padding.
    public static func ipv6Options(next: UInt8, units: Int = 0) -> [UInt8] {
        [next, UInt8(units)] + [UInt8](repeating: 0, count: 6 + units * 8)
    }

    public static func ipv6Fragment(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset) & 0xfff8 | (more ? 1 : 0)) + be32(id)
    }

    public static func udp(sport: UInt16 = 5060, dport: UInt16 = 5060, length: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        be16(sport) + be16(dport) + be16(UInt16(truncatingIfNeeded: length ?? 8 + payload.count)) + [0, 0] + payload
    }

    /// A TCP header without options (data offset 5); `flags` 0x18 is PSH+ACK, 0x02 SYN.
    public static func tcp(sport: UInt16 = 40000, dport: UInt16 = 5060, seq: UInt32, ack: UInt32 = 0,
                           flags: UInt8 = 0x18, _ payload: [UInt8] = []) -> [UInt8] {
        be16(sport) + be16(dport) + be32(seq) + be32(ack) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
    }

    /// Frame `n` as a capture reader hands it out.
    public static func frame(_ n: Int, _ bytes: [UInt8], seconds: Int64 = 1_700_000_000, originalLength: Int? = nil,
                             linkType: LinkType = .ethernet) -> CapturedFrame {
        CapturedFrame(number: n, timestamp: Timestamp(seconds: seconds, nanoseconds: 0), linkType: linkType,
                      bytes: bytes, originalLength: originalLength ?? bytes.count)
    }
}
