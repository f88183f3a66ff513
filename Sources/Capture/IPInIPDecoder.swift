/// IP inside IP (RFC 2003, RFC 4213): protocol 4 carries an IPv4 packet, 41 an IPv6 packet, inside
/// either IPv4 or IPv6 (Linux's ipip, sit and ip6tnl devices).
public enum IPInIPDecoder {
    public static let ipv4Protocol: UInt8 = 4
    public static let ipv6Protocol: UInt8 = 41

    public static func decode(_ d: IPDatagram) -> TunnelPeel {
        let v6 = d.transport == ipv6Protocol
        guard !d.payload.isEmpty else { return .malformed("IP-in-IP packet empty") }
        return .inner(NetworkPayload(kind: v6 ? .ipv6 : .ipv4, bytes: d.payload),
                      TunnelLayer(kind: v6 ? .ipv6InIP : .ipInIP, source: d.source, destination: d.destination))
    }
}
