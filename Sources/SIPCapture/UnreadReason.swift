import Capture

/// The names `UnreadFrames` counts frames under: what a person would call the frames, so that
/// "140 frames, none of them SIP: 140 GRE, IP protocol 47" tells them what the capture holds.
/// Well-known protocols by name, the rest by number; stable texts (scripts read them in `--json`).
public enum UnreadReason {
    public static let tlsWithoutKeys = "TLS without keys"
    /// Keys were given for the connection but its records do not open with them.
    public static let tlsWrongKeys = "TLS with wrong keys"
    public static let udpNotSIP = "UDP, not SIP"
    public static let tcpNotSIP = "TCP, not SIP"
    /// Handshakes, resets and bare acknowledgements of a connection that never carried a byte.
    public static let tcpWithoutPayload = "TCP without payload"
    /// Version-2 RTP/RTCP headers between unprivileged ports: the bulk of any PBX capture.
    public static let rtpLike = "RTP/RTCP-like UDP"
    public static let fragmentsNeverCompleted = "IP fragments never completed"
    public static let linkHeaderCutShort = "frame shorter than its link header"
    public static let icmpNotAboutSIP = "ICMP error, not about SIP"
    /// The extractor's own safety net: a layer gave up without saying why (a bug to report).
    public static let notDecoded = "not decoded (no reason recorded)"

    /// A link type ButtonScope does not decode.
    public static func linkType(_ type: LinkType) -> String {
        return (linkTypeNames[type.rawValue].map { "\($0), " } ?? "") + "link type \(type.rawValue)"
    }

    /// What a link layer carried that is not IPv4 or IPv6: an EtherType (Ethernet, SLL, SLL2), an
    /// address family (BSD loopback) or a version nibble (raw IP).
    public static func notIP(linkType: LinkType, value: UInt16) -> String {
        switch linkType.rawValue {
        case 0, 108: return "loopback address family \(value)"
        case 12, 14, 101, 228, 229: return "not IP (version \(value))"
        default: return etherType(value)
        }
    }

    public static func etherType(_ t: UInt16) -> String {
        if t <= 1500 { return "IEEE 802.3 LLC (STP, CDP…)" }
        let hex = "EtherType 0x" + hex4(t)
        return etherTypeNames[t].map { "\($0), \(hex)" } ?? hex
    }

    static func hex4(_ v: UInt16) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    public static func malformedIP(version6: Bool) -> String { version6 ? "malformed IPv6" : "malformed IPv4" }

    /// An IP protocol that is not UDP, TCP or ICMP.
    public static func ipProtocol(_ p: UInt8) -> String {
        return ipProtocolNames[p].map { "\($0), IP protocol \(p)" } ?? "IP protocol \(p)"
    }

    /// ICMP (`version6` false) or ICMPv6 messages that are not errors about a SIP packet.
    public static func icmp(type: UInt8?, version6: Bool) -> String {
        guard let type else { return version6 ? "malformed ICMPv6" : "malformed ICMP" }
        if version6 {
            switch type {
            case 1, 2, 3, 4: return icmpNotAboutSIP
            case 128, 129: return "ICMPv6 echo"
            case 130, 131, 132, 143: return "ICMPv6 multicast listener"
            case 133, 134: return "ICMPv6 router discovery"
            case 135, 136, 137: return "ICMPv6 neighbour discovery"
            default: return "ICMPv6 type \(type)"
            }
        }
        switch type {
        case 0, 8: return "ICMP echo"
        case 3, 4, 5, 11, 12: return icmpNotAboutSIP
        case 9, 10: return "ICMP router discovery"
        case 13, 14: return "ICMP timestamp"
        default: return "ICMP type \(type)"
        }
    }

    /// A UDP datagram that is not SIP, named by a well-known port when one side has one.
    public static func udp(source: UInt16, destination: UInt16) -> String {
        for port in [destination, source] { if let n = udpPortNames[port] { return "\(n) on UDP \(port)" } }
        return udpNotSIP
    }

    /// A TCP connection that carried no SIP, named by a well-known port when one side has one.
    public static func tcp(_ a: UInt16, _ b: UInt16, tls: Bool) -> String {
        let port = [a, b].filter { tcpPortNames[$0] != nil }.min()
        if tls {
            if let port, port != 5061 { return "\(tcpPortNames[port]!) on TCP \(port)" }
            return tlsWithoutKeys
        }
        return port.map { "\(tcpPortNames[$0]!) on TCP \($0)" } ?? tcpNotSIP
    }

    private static let linkTypeNames: [UInt32: String] = [
        9: "PPP", 50: "PPP in HDLC", 51: "PPPoE", 104: "Cisco HDLC", 105: "IEEE 802.11", 119: "Prism 802.11",
        127: "802.11 radiotap", 143: "DOCSIS", 161: "user link type 0", 163: "AVS 802.11", 187: "Bluetooth HCI H4",
        189: "Linux USB", 192: "PPI", 195: "IEEE 802.15.4", 201: "Bluetooth HCI H4 with direction",
        220: "Linux USB (mmapped)", 227: "SocketCAN", 239: "Netfilter log", 253: "Linux netlink",
        254: "Bluetooth Linux monitor", 263: "ZigBee", 272: "Nordic BLE",
    ]
    private static let etherTypeNames: [UInt16: String] = [
        0x0806: "ARP", 0x8035: "RARP", 0x0842: "Wake-on-LAN", 0x22f0: "AVTP", 0x22f3: "TRILL",
        0x6002: "DEC MOP", 0x6558: "transparent Ethernet bridging", 0x809b: "AppleTalk", 0x80f3: "AARP",
        0x8137: "IPX", 0x8808: "Ethernet flow control", 0x8809: "LACP/slow protocols", 0x8847: "MPLS",
        0x8848: "MPLS multicast", 0x8863: "PPPoE discovery", 0x8864: "PPPoE session", 0x886d: "Intel ANS",
        0x888e: "EAPOL (802.1X)", 0x8892: "PROFINET", 0x88a4: "EtherCAT", 0x88b8: "GOOSE", 0x88bb: "HSR",
        0x88be: "ERSPAN", 0x88cc: "LLDP", 0x88e1: "HomePlug", 0x88e5: "MACsec", 0x88e7: "PBB",
        0x88f7: "PTP", 0x8902: "CFM/OAM", 0x8906: "FCoE", 0x8914: "FCoE initialization", 0x892f: "HSR/PRP",
        0x893a: "IEEE 1905", 0x9000: "Ethernet loopback", 0x8899: "Realtek RRCP",
    ]
    private static let ipProtocolNames: [UInt8: String] = [
        0: "IPv6 hop-by-hop", 2: "IGMP", 4: "IPv4-in-IP", 8: "EGP", 9: "IGP", 41: "IPv6-in-IP", 43: "IPv6 routing",
        44: "IPv6 fragment", 46: "RSVP", 47: "GRE", 50: "ESP", 51: "AH", 59: "IPv6 no next header",
        60: "IPv6 destination options", 88: "EIGRP", 89: "OSPF", 94: "IP-within-IP", 97: "EtherIP",
        103: "PIM", 108: "IPComp", 112: "VRRP", 115: "L2TP", 124: "IS-IS", 132: "SCTP", 135: "Mobility header",
        136: "UDP-Lite", 137: "MPLS-in-IP", 143: "Ethernet-in-IPv6",
    ]
    private static let udpPortNames: [UInt16: String] = [
        53: "DNS", 67: "DHCP", 68: "DHCP", 69: "TFTP", 123: "NTP", 137: "NetBIOS name service",
        138: "NetBIOS datagram", 161: "SNMP", 162: "SNMP trap", 443: "QUIC", 500: "IKE", 514: "syslog",
        546: "DHCPv6", 547: "DHCPv6", 1812: "RADIUS", 1813: "RADIUS accounting", 1900: "SSDP", 2152: "GTP-U",
        3478: "STUN", 3702: "WS-Discovery", 4500: "IPsec NAT-T", 4789: "VXLAN", 5353: "mDNS", 5355: "LLMNR",
        6081: "Geneve", 9060: "HEP",
    ]
    private static let tcpPortNames: [UInt16: String] = [
        21: "FTP", 22: "SSH", 23: "Telnet", 25: "SMTP", 53: "DNS", 80: "HTTP", 110: "POP3", 143: "IMAP",
        179: "BGP", 389: "LDAP", 443: "HTTPS", 445: "SMB", 465: "SMTPS", 587: "SMTP submission", 636: "LDAPS",
        993: "IMAPS", 995: "POP3S", 1433: "SQL Server", 1883: "MQTT", 3306: "MySQL", 3389: "RDP",
        5038: "Asterisk AMI", 5432: "PostgreSQL", 5222: "XMPP", 5900: "VNC", 6379: "Redis", 8080: "HTTP",
        8443: "HTTPS", 8088: "HTTP",
    ]
}
