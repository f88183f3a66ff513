/// MPLS (RFC 3032), unicast 0x8847 and multicast 0x8848: label entries down to the one with the
/// bottom-of-stack bit, then IPv4 or IPv6 by the first nibble, or a pseudowire control word (first
/// nibble 0, RFC 4385) followed by an Ethernet frame (Ethernet over MPLS, RFC 4448).
public enum MPLSDecoder {
    public static let unicastEtherType: UInt16 = 0x8847
    public static let multicastEtherType: UInt16 = 0x8848
    /// Real stacks hold a few labels; a longer one is hostile.
    public static let maxLabels = 32

    /// `b`: the bytes after the EtherType. The layer's identifier is the bottom label (the VPN or
    /// pseudowire label, which names the customer's network).
    public static func decode(_ b: ArraySlice<UInt8>) -> TunnelPeel {
        var at = b.startIndex
        var labels = 0
        while true {
            guard let entry = b.u32be(at) else { return .malformed("MPLS label stack has no bottom within the packet") }
            at += 4
            labels += 1
            guard entry & 0x100 == 0 else {
                return inner(b[at...], label: entry >> 12)
            }
            if labels >= maxLabels { return .malformed("MPLS label stack deeper than \(maxLabels) labels") }
        }
    }

    private static func inner(_ b: ArraySlice<UInt8>, label: UInt32) -> TunnelPeel {
        let layer = TunnelLayer(kind: .mpls, id: label)
        guard let first = b.first else { return .malformed("MPLS packet empty below its labels") }
        if first >> 4 == 0 {
            guard b.count > 4, let frame = NetworkPayload.ethernet(b.dropFirst(4)) else {
                return .malformed("MPLS pseudowire frame cut short")
            }
            return .inner(frame, layer)
        }
        guard let ip = NetworkPayload.ipByVersion(b) else {
            return .notSIP("MPLS payload that is not IP (first nibble \(first >> 4))")
        }
        return .inner(ip, layer)
    }
}
