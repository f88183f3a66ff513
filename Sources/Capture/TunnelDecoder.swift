/// Where tunnels begin: at the link (PPPoE, MPLS by EtherType), at IP (GRE, IP-in-IP by protocol)
/// and at UDP (VXLAN, Geneve, GTP-U by port). Each check is a couple of integer compares, so plain
/// packets pay almost nothing; the layer decoders do the rest.
public enum TunnelDecoder {
    /// An EtherType that begins a tunnel layer (or PPPoE discovery, which is counted unread).
    @inlinable public static func isLinkTunnel(_ etherType: UInt16) -> Bool {
        etherType == 0x8864 || etherType == 0x8847 || etherType == 0x8848 || etherType == 0x8863
    }

    /// An IP protocol that carries a tunnel: GRE (47), IPv4 (4) or IPv6 (41) inside IP.
    @inlinable public static func isIPTunnel(_ transport: UInt8) -> Bool {
        transport == 47 || transport == 4 || transport == 41
    }

    /// A UDP datagram on a tunnel's port: VXLAN (4789), Geneve (6081) or GTP-U (2152, either way).
    @inlinable public static func mayBeUDPTunnel(sourcePort: UInt16, destinationPort: UInt16) -> Bool {
        destinationPort == 4789 || destinationPort == 6081 || destinationPort == 2152 || sourcePort == 2152
    }

    public static func link(_ n: NetworkPayload) -> TunnelPeel? {
        guard case .other(let type) = n.kind, isLinkTunnel(type) else { return nil }
        switch type {
        case 0x8847, 0x8848: return MPLSDecoder.decode(n.bytes)
        default: return PPPoEDecoder.decode(etherType: type, n.bytes)
        }
    }

    public static func ip(_ d: IPDatagram) -> TunnelPeel? {
        switch d.transport {
        case GREDecoder.ipProtocol: GREDecoder.decode(d)
        case IPInIPDecoder.ipv4Protocol, IPInIPDecoder.ipv6Protocol: IPInIPDecoder.decode(d)
        default: nil
        }
    }

    /// nil when the datagram is not a tunnel after all (a header that is not the port's protocol).
    public static func udp(_ u: UDPDatagram) -> TunnelPeel? {
        switch u.destination.port {
        case VXLANDecoder.port: if let p = VXLANDecoder.decode(u) { return p }
        case GeneveDecoder.port: if let p = GeneveDecoder.decode(u) { return p }
        default: break
        }
        if u.destination.port == GTPUDecoder.port || u.source.port == GTPUDecoder.port { return GTPUDecoder.decode(u) }
        return nil
    }
}
