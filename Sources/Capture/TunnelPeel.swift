/// What one tunnel layer's decoder made of its bytes.
public enum TunnelPeel {
    /// The packet inside, and the layer it came through.
    case inner(NetworkPayload, TunnelLayer)
    /// A well-formed layer that carries no IP (PPPoE discovery, PPP control, a GTP echo):
    /// counted unread under this reason.
    case notSIP(String)
    /// A header cut short or a chain that never ends: reported, and counted unread under this reason.
    case malformed(String)
}

extension NetworkPayload {
    /// The payload an EtherType (or GRE/Geneve protocol type, which use the same numbers) announces.
    init(ethertype: UInt16, bytes: ArraySlice<UInt8>) {
        switch ethertype {
        case 0x0800: self.init(kind: .ipv4, bytes: bytes)
        case 0x86dd: self.init(kind: .ipv6, bytes: bytes)
        default: self.init(kind: .other(ethertype), bytes: bytes)
        }
    }

    /// IPv4 or IPv6 by the first nibble (MPLS, GTP-U and IP-in-IP do not say which).
    static func ipByVersion(_ bytes: ArraySlice<UInt8>) -> NetworkPayload? {
        switch bytes.first.map({ $0 >> 4 }) {
        case 4: NetworkPayload(kind: .ipv4, bytes: bytes)
        case 6: NetworkPayload(kind: .ipv6, bytes: bytes)
        default: nil
        }
    }

    /// An inner Ethernet frame (VXLAN, Geneve, transparent Ethernet over GRE, ERSPAN, an MPLS
    /// pseudowire): its VLAN tags stripped as on the outside.
    static func ethernet(_ bytes: ArraySlice<UInt8>) -> NetworkPayload? {
        try? LinkDecoder.decode(bytes, linkType: .ethernet).get()
    }
}
