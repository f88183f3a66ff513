/// VXLAN (RFC 7348) on UDP 4789: an 8-byte header with the I flag and a 24-bit VNI, then an
/// Ethernet frame.
public enum VXLANDecoder {
    public static let port: UInt16 = 4789

    /// nil when the header is not VXLAN's (no I flag): the datagram is then read as any other.
    public static func decode(_ u: UDPDatagram) -> TunnelPeel? {
        let b = u.payload
        let s = b.startIndex
        guard let flags = b.u8(s), flags & 0x08 != 0, let word = b.u32be(s + 4) else { return nil }
        let layer = TunnelLayer(kind: .vxlan, id: word >> 8, source: u.source.address, destination: u.destination.address)
        guard let frame = NetworkPayload.ethernet(b.dropFirst(8)) else { return .malformed("Ethernet inside VXLAN cut short") }
        return .inner(frame, layer)
    }
}
