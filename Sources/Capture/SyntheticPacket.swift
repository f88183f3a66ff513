import Base

/// A message as the packet that carried it, rebuilt from its original endpoints: Ethernet, IPv4 or
/// IPv6, then UDP or one TCP segment. For a collector's `-w` file, where only the payload and the
/// addresses came (by HEP), so every tool that reads pcap can read them. Checksums are real.
public enum SyntheticPacket {
    /// The largest payload one packet can carry (an IPv4 total length is 16 bits).
    public static let maxPayload = 65_535 - 20 - 20

    /// `tcpSequence`: the segment's sequence number (the writer keeps one running per flow).
    public static func ethernet(source: Endpoint, destination: Endpoint, tcp: Bool, tcpSequence: UInt32 = 1,
                                payload: ArraySlice<UInt8>) -> [UInt8] {
        let payload = payload.prefix(maxPayload)
        let v6 = source.address.isIPv6 || destination.address.isIPv6
        let src = addressBytes(source.address, v6: v6), dst = addressBytes(destination.address, v6: v6)
        var transport: [UInt8]
        if tcp {
            transport = be16(source.port) + be16(destination.port) + be32(tcpSequence) + be32(1)
                + [0x50, 0x18] + be16(65_535) + [0, 0, 0, 0] // data offset 5, PSH|ACK
        } else {
            transport = be16(source.port) + be16(destination.port) + be16(UInt16(8 + payload.count)) + [0, 0]
        }
        transport += payload
        let proto: UInt8 = tcp ? 6 : 17
        // The pseudo-header checksum (RFC 768 / 793 / 8200).
        let pseudo = src + dst + (v6 ? be32(UInt32(transport.count)) + [0, 0, 0, proto] : [0, proto] + be16(UInt16(transport.count)))
        var sum = checksum(pseudo + transport)
        if !tcp && sum == 0 { sum = 0xffff }
        let at = tcp ? 16 : 6
        transport[at] = UInt8(sum >> 8)
        transport[at + 1] = UInt8(sum & 0xff)
        var ip: [UInt8]
        if v6 {
            ip = [0x60, 0, 0, 0] + be16(UInt16(transport.count)) + [proto, 64] + src + dst
        } else {
            ip = [0x45, 0] + be16(UInt16(20 + transport.count)) + [0, 0, 0x40, 0, 64, proto, 0, 0] + src + dst
            let c = checksum(ip)
            ip[10] = UInt8(c >> 8)
            ip[11] = UInt8(c & 0xff)
        }
        let ethernet: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1] + (v6 ? [0x86, 0xdd] : [0x08, 0x00])
        return ethernet + ip + transport
    }

    private static func addressBytes(_ a: IPAddress, v6: Bool) -> [UInt8] {
        let b = a.bytes
        if v6 && b.count == 4 { return [UInt8](repeating: 0, count: 10) + [0xff, 0xff] + b } // IPv4-mapped
        return b.count == (v6 ? 16 : 4) ? b : [UInt8](repeating: 0, count: v6 ? 16 : 4)
    }

    private static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    private static func checksum(_ b: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < b.count { sum &+= UInt32(b[i]) << 8 | UInt32(b[i + 1]); i += 2 }
        if i < b.count { sum &+= UInt32(b[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
