import CPcap

/// Finds out whether a BPF filter lets IP fragments of a SIP datagram through, by compiling it and
/// running it over synthetic packets instead of guessing from its text.
///
/// A port filter (`udp port 5060`) passes only packets whose UDP header it can see: a non-first
/// IPv4 fragment has none, and an IPv6 fragment hides UDP behind a Fragment header. Initial-state
/// MESSAGEs are often longer than 1500 bytes, so such a filter silently loses exactly them.
public struct FragmentFilterProbe {
    public struct Verdict: Equatable, Sendable {
        /// The filter passes a whole UDP SIP datagram but drops a non-first IPv4 fragment of it.
        public var dropsIPv4Fragments: Bool
        /// The same for IPv6 (first or later fragment).
        public var dropsIPv6Fragments: Bool
        public var dropsFragments: Bool { dropsIPv4Fragments || dropsIPv6Fragments }
    }

    public let linkType: LinkType

    public init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// Nil when the filter does not compile or the link type has no framing we can synthesise.
    public func verdict(filter: String) -> Verdict? {
        guard frame(ipv6: false, payload: []) != nil else { return nil }
        guard let dead = pcap_open_dead(Int32(bitPattern: linkType.rawValue), 262_144) else { return nil }
        defer { pcap_close(dead) }
        var program = bpf_program()
        guard pcap_compile(dead, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else { return nil }
        defer { pcap_freecode(&program) }
        func passes(_ packet: [UInt8]) -> Bool {
            var header = pcap_pkthdr()
            header.caplen = UInt32(packet.count)
            header.len = UInt32(packet.count)
            return packet.withUnsafeBufferPointer { pcap_offline_filter(&program, &header, $0.baseAddress) != 0 }
        }
        var v4 = false, v6 = false
        for port in Self.candidatePorts(filter) {
            for (src, dst) in Self.candidateIPv4(filter) {
                let whole = ipv4(src: src, dst: dst, port: port, fragment: nil)
                let later = ipv4(src: src, dst: dst, port: port, fragment: .later)
                if let whole, let later, passes(whole), !passes(later) { v4 = true }
            }
            for (src, dst) in Self.candidateIPv6 {
                let whole = ipv6(src: src, dst: dst, port: port, fragment: nil)
                let first = ipv6(src: src, dst: dst, port: port, fragment: .first)
                let later = ipv6(src: src, dst: dst, port: port, fragment: .later)
                if let whole, let first, let later, passes(whole), !passes(first) || !passes(later) { v6 = true }
            }
        }
        return Verdict(dropsIPv4Fragments: v4, dropsIPv6Fragments: v6)
    }

    /// A filter that also keeps the fragments: the user's, or'ed with what catches them.
    public static func suggestion(for filter: String, _ v: Verdict) -> String {
        var parts = ["(\(filter))"]
        if v.dropsIPv4Fragments { parts.append("(ip[6:2] & 0x1fff != 0)") }
        if v.dropsIPv6Fragments { parts.append("(ip6[6] == 44)") }
        return parts.joined(separator: " or ")
    }

    // MARK: - Candidates taken from the filter text

    /// 5060 and every number in the filter that could be a port, so `udp port 15099` is probed
    /// with a datagram it would pass.
    static func candidatePorts(_ filter: String) -> [UInt16] {
        var ports: [UInt16] = [5060]
        for token in tokens(filter) where !token.contains(".") {
            if let n = UInt16(token), n > 0, !ports.contains(n), ports.count < 16 { ports.append(n) }
        }
        return ports
    }

    static func candidateIPv4(_ filter: String) -> [([UInt8], [UInt8])] {
        var pairs: [([UInt8], [UInt8])] = [([192, 0, 2, 1], [192, 0, 2, 2]), ([127, 0, 0, 1], [127, 0, 0, 1])]
        for token in tokens(filter) {
            let parts = token.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
            if parts.count == 4, token.split(separator: ".", omittingEmptySubsequences: false).count == 4, pairs.count < 10 {
                pairs.append((parts, parts))
            }
        }
        return pairs
    }

    static let candidateIPv6: [([UInt8], [UInt8])] = {
        let doc: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11)
        let loopback = [UInt8](repeating: 0, count: 15) + [1]
        return [(doc + [1], doc + [2]), (loopback, loopback)]
    }()

    static func tokens(_ filter: String) -> [String] {
        filter.split { !($0.isNumber || $0 == ".") }.map(String.init)
    }

    // MARK: - Synthetic packets

    enum Fragment { case first, later }

    /// What a fragmented initial state looks like: the datagram is 1600 bytes of UDP.
    static let udpLength = 1600
    static let sipStart = Array("MESSAGE sip:44@192.0.2.2 SIP/2.0\r\nContent-Type: application/x-buttons\r\n".utf8)
    static let bodyPart = Array("k=3\r\nc=on\r\nl=42\r\n".utf8)

    func udpHeader(port: UInt16) -> [UInt8] {
        let p = Self.be16(port), l = Self.be16(UInt16(Self.udpLength))
        return p + p + l + [0, 0]
    }

    func ipv4(src: [UInt8], dst: [UInt8], port: UInt16, fragment: Fragment?) -> [UInt8]? {
        let payload = fragment == .later ? Self.bodyPart : udpHeader(port: port) + Self.sipStart
        // Non-first fragment: offset 1480 bytes (185 units of 8), last one (no MF).
        let flags: UInt16 = fragment == nil ? 0x4000 : fragment == .first ? 0x2000 : 185
        var ip: [UInt8] = [0x45, 0] + Self.be16(UInt16(20 + payload.count)) + [0x12, 0x34] + Self.be16(flags) + [64, 17, 0, 0]
        ip += src + dst
        return frame(ipv6: false, payload: ip + payload)
    }

    func ipv6(src: [UInt8], dst: [UInt8], port: UInt16, fragment: Fragment?) -> [UInt8]? {
        var payload: [UInt8]
        var next: UInt8 = 17
        switch fragment {
        case nil: payload = udpHeader(port: port) + Self.sipStart
        case .first: payload = [17, 0] + Self.be16(0x0001) + [0, 0, 0x12, 0x34] + udpHeader(port: port) + Self.sipStart; next = 44
        case .later: payload = [17, 0] + Self.be16(181 << 3) + [0, 0, 0x12, 0x34] + Self.bodyPart; next = 44
        }
        let ip: [UInt8] = [0x60, 0, 0, 0] + Self.be16(UInt16(payload.count)) + [next, 64] + src + dst
        return frame(ipv6: true, payload: ip + payload)
    }

    /// The IP packet inside this link type's framing; nil for link types we cannot frame.
    func frame(ipv6: Bool, payload: [UInt8]) -> [UInt8]? {
        let ethertype = Self.be16(ipv6 ? 0x86dd : 0x0800)
        switch linkType.rawValue {
        case 1: return [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] + ethertype + payload
        case 113: return [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0] + ethertype + payload
        case 276: return ethertype + [0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0] + payload
        case 12, 14, 101: return payload
        case 228: return ipv6 ? nil : payload
        case 229: return ipv6 ? payload : nil
        case 0: return (ipv6 ? [24, 0, 0, 0] : [2, 0, 0, 0]) + payload
        case 108: return (ipv6 ? [0, 0, 0, 24] : [0, 0, 0, 2]) + payload
        default: return nil
        }
    }

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
}
