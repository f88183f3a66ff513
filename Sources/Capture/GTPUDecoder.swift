/// GTP-U (3GPP TS 29.281) on UDP 2152, the user plane of mobile networks (VoLTE's SIP rides in
/// it): G-PDU messages (type 255) carry an IPv4 or IPv6 packet after an 8-byte header, the
/// optional sequence/N-PDU/next-extension word, and a chain of extension headers. The layer's
/// identifier is the TEID.
public enum GTPUDecoder {
    public static let port: UInt16 = 2152
    /// Extension headers in real traffic are one or two; a longer chain is hostile.
    static let maxExtensions = 16

    /// nil when the header is not GTP-U version 1: the datagram is then read as any other.
    public static func decode(_ u: UDPDatagram) -> TunnelPeel? {
        let b = u.payload
        let s = b.startIndex
        guard let flags = b.u8(s), flags >> 5 == 1, flags & 0x10 != 0, let type = b.u8(s + 1),
              let length = b.u16be(s + 2), let teid = b.u32be(s + 4) else { return nil }
        guard type == 255 else { return .notSIP("GTP-U signalling (message type \(type))") }
        let end = min(b.endIndex, s + 8 + Int(length))
        var at = s + 8
        if flags & 0x07 != 0 {
            guard var next = b.u8(at + 3) else { return .malformed("GTP-U header cut short") }
            at += 4
            var count = 0
            while next != 0 {
                // Each extension: a length in 4-byte units, its content, and the next type in its last byte.
                guard let units = b.u8(at), units > 0, at + Int(units) * 4 <= end, let following = b.u8(at + Int(units) * 4 - 1) else {
                    return .malformed("GTP-U extension headers run past the packet")
                }
                at += Int(units) * 4
                next = following
                count += 1
                if count > maxExtensions { return .malformed("GTP-U extension headers never end") }
            }
        }
        guard at <= end else { return .malformed("GTP-U header cut short") }
        let layer = TunnelLayer(kind: .gtpu, id: teid, source: u.source.address, destination: u.destination.address)
        guard let ip = NetworkPayload.ipByVersion(b[at..<end]) else {
            return at == end ? .notSIP("GTP-U without a packet") : .notSIP("GTP-U payload that is not IP")
        }
        return .inner(ip, layer)
    }
}
