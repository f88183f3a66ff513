/// Geneve (RFC 8926) on UDP 6081: an 8-byte header, options skipped by their declared length,
/// then the protocol its type names (transparent Ethernet 0x6558, or IPv4/IPv6).
public enum GeneveDecoder {
    public static let port: UInt16 = 6081

    /// nil when the header is not Geneve's (another version): the datagram is then read as any other.
    public static func decode(_ u: UDPDatagram) -> TunnelPeel? {
        let b = u.payload
        let s = b.startIndex
        guard let first = b.u8(s), first >> 6 == 0, let proto = b.u16be(s + 2), let word = b.u32be(s + 4) else { return nil }
        let optionsLength = Int(first & 0x3f) * 4
        let layer = TunnelLayer(kind: .geneve, id: word >> 8, source: u.source.address, destination: u.destination.address)
        guard b.count >= 8 + optionsLength else { return .malformed("Geneve options run past the packet") }
        let payload = b.dropFirst(8 + optionsLength)
        if proto == 0x6558 {
            guard let frame = NetworkPayload.ethernet(payload) else { return .malformed("Ethernet inside Geneve cut short") }
            return .inner(frame, layer)
        }
        return .inner(NetworkPayload(ethertype: proto, bytes: payload), layer)
    }
}
