/// GRE (RFC 2784/2890, and RFC 1701's routing entries): the optional checksum, key and sequence
/// number words, then the protocol type: IPv4, IPv6, transparent Ethernet (0x6558), ERSPAN
/// (0x88be, 0x22eb; see `ERSPANDecoder`), or MPLS, which the next layer takes.
public enum GREDecoder {
    public static let ipProtocol: UInt8 = 47
    /// RFC 1701 routing entries, each a few bytes: more than this many is hostile.
    static let maxRoutingEntries = 64

    /// `d`: the IP datagram whose payload is GRE.
    public static func decode(_ d: IPDatagram) -> TunnelPeel {
        let b = d.payload
        let s = b.startIndex
        guard let flags = b.u16be(s), let proto = b.u16be(s + 2) else { return .malformed("GRE header cut short") }
        let checksum = flags & 0x8000 != 0, routing = flags & 0x4000 != 0
        let hasKey = flags & 0x2000 != 0, hasSequence = flags & 0x1000 != 0
        let version = flags & 0x7
        guard version == 0 else { return .notSIP("GRE version \(version) (PPTP)") }
        var at = s + 4
        if checksum || routing { at += 4 }
        var key: UInt32?
        if hasKey {
            guard let k = b.u32be(at) else { return .malformed("GRE header cut short") }
            key = k
            at += 4
        }
        if hasSequence { at += 4 }
        if routing {
            // Source route entries: address family (2), offset (1), length (1), data; a zero
            // family and length end the list.
            var entries = 0
            while true {
                guard let family = b.u16be(at), let length = b.u8(at + 3) else {
                    return .malformed("GRE routing entries run past the packet")
                }
                at += 4 + Int(length)
                if family == 0 && length == 0 { break }
                entries += 1
                if entries > maxRoutingEntries { return .malformed("GRE routing entries never end") }
            }
        }
        guard at <= b.endIndex else { return .malformed("GRE header cut short") }
        let payload = b[at...]
        let layer = TunnelLayer(kind: .gre, id: key, source: d.source, destination: d.destination)
        switch proto {
        case 0x6558:
            guard let frame = NetworkPayload.ethernet(payload) else { return .malformed("Ethernet inside GRE cut short") }
            return .inner(frame, layer)
        case ERSPANDecoder.typeIIProtocol, ERSPANDecoder.typeIIIProtocol:
            return ERSPANDecoder.decode(payload, protocolType: proto, greSequence: hasSequence,
                                        source: d.source, destination: d.destination)
        default:
            return .inner(NetworkPayload(ethertype: proto, bytes: payload), layer)
        }
    }
}
