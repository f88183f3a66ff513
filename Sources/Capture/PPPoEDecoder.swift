/// PPPoE (RFC 2516), as DSL uplinks carry it: session frames (EtherType 0x8864) hold one PPP
/// frame, IPv4 (PPP protocol 0x0021) or IPv6 (0x0057). Discovery frames (0x8863) and PPP's own
/// control protocols carry no SIP.
public enum PPPoEDecoder {
    public static let sessionEtherType: UInt16 = 0x8864
    public static let discoveryEtherType: UInt16 = 0x8863

    /// `b`: the bytes after the EtherType.
    public static func decode(etherType: UInt16, _ b: ArraySlice<UInt8>) -> TunnelPeel {
        guard etherType == sessionEtherType else { return .notSIP("PPPoE discovery") }
        let s = b.startIndex
        guard let session = b.u16be(s + 2), let length = b.u16be(s + 4), let first = b.u8(s + 6) else {
            return .malformed("PPPoE header cut short")
        }
        // The PPP protocol field may be compressed to one byte (its low bit set) when negotiated.
        let protocolLength = first & 1 == 1 ? 1 : 2
        guard let proto = protocolLength == 1 ? UInt16(first) : b.u16be(s + 6) else {
            return .malformed("PPPoE header cut short")
        }
        let start = s + 6 + protocolLength
        let end = min(b.endIndex, s + 6 + Int(length))
        guard Int(length) >= protocolLength else { return .malformed("PPPoE length \(length) shorter than its PPP header") }
        let layer = TunnelLayer(kind: .pppoe, id: UInt32(session))
        let inner = b[start..<max(start, end)]
        switch proto {
        case 0x0021: return .inner(NetworkPayload(kind: .ipv4, bytes: inner), layer)
        case 0x0057: return .inner(NetworkPayload(kind: .ipv6, bytes: inner), layer)
        default: return .notSIP("PPP control (protocol 0x\(hex(proto)))")
        }
    }
}

/// Four lower-case hex digits, as protocol numbers are written.
func hex(_ v: UInt16) -> String {
    let h = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 4 - h.count)) + h
}
