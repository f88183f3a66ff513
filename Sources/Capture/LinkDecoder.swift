/// What the link layer carried: the network-layer bytes and their protocol.
public struct NetworkPayload {
    public enum Kind { case ipv4, ipv6, other(UInt16) }
    public var kind: Kind
    public var bytes: ArraySlice<UInt8>
}

/// Strips the link-layer header: Ethernet with any number of VLAN tags, Linux SLL/SLL2,
/// raw IP, BSD loopback.
public enum LinkDecoder {
    public enum Failure: Error, Equatable {
        case unsupported(LinkType)
        case tooShort
    }

    public static func decode(_ bytes: ArraySlice<UInt8>, linkType: LinkType) -> Result<NetworkPayload, Failure> {
        let b = bytes
        let s = b.startIndex
        switch linkType.rawValue {
        case 1:
            guard var type = b.u16be(s + 12) else { return .failure(.tooShort) }
            var at = s + 14
            // 802.1Q, 802.1ad and the old QinQ ethertypes: each tag is 4 bytes.
            while type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200 {
                guard let inner = b.u16be(at + 2) else { return .failure(.tooShort) }
                type = inner
                at += 4
            }
            return .success(payload(ethertype: type, b[at...]))
        case 113:
            guard let type = b.u16be(s + 14) else { return .failure(.tooShort) }
            return .success(payload(ethertype: type, b[(s + 16)...]))
        case 276:
            guard let type = b.u16be(s), b.count >= 20 else { return .failure(.tooShort) }
            return .success(payload(ethertype: type, b[(s + 20)...]))
        case 12, 14, 101, 228, 229:
            guard let first = b.u8(s) else { return .failure(.tooShort) }
            return .success(ipByVersion(first, b))
        case 0, 108:
            guard b.count >= 4 else { return .failure(.tooShort) }
            // NULL's family is in the capturing host's byte order; LOOP's in network order.
            let be = UInt32(b[s]) << 24 | UInt32(b[s + 1]) << 16 | UInt32(b[s + 2]) << 8 | UInt32(b[s + 3])
            let family = linkType.rawValue == 108 || be < 0x0100_0000 ? be : be.byteSwapped
            let rest = b[(s + 4)...]
            switch family {
            case 2: return .success(NetworkPayload(kind: .ipv4, bytes: rest))
            case 10, 24, 28, 30: return .success(NetworkPayload(kind: .ipv6, bytes: rest))
            default: return .success(NetworkPayload(kind: .other(UInt16(truncatingIfNeeded: family)), bytes: rest))
            }
        default:
            return .failure(.unsupported(linkType))
        }
    }

    private static func payload(ethertype: UInt16, _ rest: ArraySlice<UInt8>) -> NetworkPayload {
        switch ethertype {
        case 0x0800: return NetworkPayload(kind: .ipv4, bytes: rest)
        case 0x86dd: return NetworkPayload(kind: .ipv6, bytes: rest)
        default: return NetworkPayload(kind: .other(ethertype), bytes: rest)
        }
    }

    private static func ipByVersion(_ first: UInt8, _ b: ArraySlice<UInt8>) -> NetworkPayload {
        switch first >> 4 {
        case 4: return NetworkPayload(kind: .ipv4, bytes: b)
        case 6: return NetworkPayload(kind: .ipv6, bytes: b)
        default: return NetworkPayload(kind: .other(UInt16(first >> 4)), bytes: b)
        }
    }
}
