/// A libpcap LINKTYPE_ value, named where we can decode it.
public struct LinkType: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public static let null = LinkType(0)
    public static let ethernet = LinkType(1)
    public static let rawOpenBSD = LinkType(12)
    public static let rawAlt = LinkType(14)
    public static let raw = LinkType(101)
    public static let loop = LinkType(108)
    public static let linuxSLL = LinkType(113)
    public static let ipv4 = LinkType(228)
    public static let ipv6 = LinkType(229)
    public static let linuxSLL2 = LinkType(276)

    public var description: String {
        switch rawValue {
        case 0: return "BSD loopback (NULL)"
        case 1: return "Ethernet"
        case 12, 14, 101: return "raw IP"
        case 108: return "OpenBSD loopback (LOOP)"
        case 113: return "Linux cooked (SLL)"
        case 228: return "raw IPv4"
        case 229: return "raw IPv6"
        case 276: return "Linux cooked v2 (SLL2)"
        default: return "link type \(rawValue)"
        }
    }

    public var isSupported: Bool {
        [0, 1, 12, 14, 101, 108, 113, 228, 229, 276].contains(rawValue)
    }
}
