import Base

/// Parses IPv4 and IPv6 headers (walking IPv6 extension headers) into a datagram or a fragment.
public enum IPDecoder {
    public enum Parsed {
        case datagram(IPDatagram)
        case fragment(IPFragment)
        case invalid(String)
    }

    /// `tunnel`: the tunnels the packet came through, carried into the datagram or the fragment's key.
    public static func decode(_ payload: NetworkPayload, frame: Int, frameTruncated: Bool, tunnel: TunnelPath? = nil) -> Parsed {
        let parsed: Parsed
        switch payload.kind {
        case .ipv4: parsed = ipv4(payload.bytes, frame: frame, frameTruncated: frameTruncated)
        case .ipv6: parsed = ipv6(payload.bytes, frame: frame, frameTruncated: frameTruncated)
        case .other: return .invalid("not IP")
        }
        guard let tunnel else { return parsed }
        switch parsed {
        case .datagram(var d): d.tunnel = tunnel; return .datagram(d)
        case .fragment(var f): f.key.tunnel = tunnel; return .fragment(f)
        case .invalid: return parsed
        }
    }

    static func ipv4(_ b: ArraySlice<UInt8>, frame: Int, frameTruncated: Bool) -> Parsed {
        let s = b.startIndex
        guard let vihl = b.u8(s), vihl >> 4 == 4 else { return .invalid("IPv4 header with a wrong version") }
        let headerLength = Int(vihl & 0x0f) * 4
        guard headerLength >= 20, b.count >= headerLength,
              let total = b.u16be(s + 2), let id = b.u16be(s + 4), let flagsOffset = b.u16be(s + 6),
              let proto = b.u8(s + 9) else {
            return .invalid("IPv4 header cut short")
        }
        let src = IPAddress(b[(s + 12)..<(s + 16)])
        let dst = IPAddress(b[(s + 16)..<(s + 20)])
        guard Int(total) >= headerLength else { return .invalid("IPv4 total length \(total) shorter than its header") }
        // Ethernet pads short frames: trust the IP length, and note when the capture kept less.
        let end = min(b.endIndex, s + Int(total))
        let cut = b.endIndex < s + Int(total)
        let data = b[(s + headerLength)..<end]
        let more = flagsOffset & 0x2000 != 0
        let offset = Int(flagsOffset & 0x1fff) * 8
        if more || offset > 0 {
            return .fragment(IPFragment(key: .init(source: src, destination: dst, identification: UInt32(id), transport: proto),
                                        offset: offset, moreFragments: more, bytes: data,
                                        isTruncatedByCapture: cut && frameTruncated))
        }
        return .datagram(IPDatagram(source: src, destination: dst, transport: proto, payload: data, frames: [frame],
                                    isTruncatedByCapture: cut && frameTruncated,
                                    declaredLength: Int(total) - headerLength))
    }

    static func ipv6(_ b: ArraySlice<UInt8>, frame: Int, frameTruncated: Bool) -> Parsed {
        let s = b.startIndex
        guard let v = b.u8(s), v >> 4 == 6, b.count >= 40, let plen = b.u16be(s + 4), let first = b.u8(s + 6) else {
            return .invalid("IPv6 header cut short")
        }
        let src = IPAddress(b[(s + 8)..<(s + 24)])
        let dst = IPAddress(b[(s + 24)..<(s + 40)])
        let end = min(b.endIndex, s + 40 + Int(plen))
        let cut = b.endIndex < s + 40 + Int(plen)
        var next = first
        var at = s + 40
        while true {
            switch next {
            case 0, 43, 60, 135, 139, 140:
                guard let n = b.u8(at), let len = b.u8(at + 1) else { return .invalid("IPv6 extension header cut short") }
                next = n
                at += (Int(len) + 1) * 8
            case 51:
                guard let n = b.u8(at), let len = b.u8(at + 1) else { return .invalid("IPv6 AH header cut short") }
                next = n
                at += (Int(len) + 2) * 4
            case 44:
                guard let n = b.u8(at), let off = b.u16be(at + 2), let id = b.u32be(at + 4) else {
                    return .invalid("IPv6 fragment header cut short")
                }
                let data = at + 8 <= end ? b[(at + 8)..<end] : b[end..<end]
                return .fragment(IPFragment(key: .init(source: src, destination: dst, identification: id, transport: n),
                                            offset: Int(off & 0xfff8), moreFragments: off & 1 != 0, bytes: data,
                                            isTruncatedByCapture: cut && frameTruncated))
            default:
                guard at <= end else { return .invalid("IPv6 extension headers run past the packet") }
                return .datagram(IPDatagram(source: src, destination: dst, transport: next, payload: b[at..<end],
                                            frames: [frame], isTruncatedByCapture: cut && frameTruncated,
                                            declaredLength: max(0, s + 40 + Int(plen) - at)))
            }
        }
    }

    /// After IPv6 reassembly the payload may still begin with extension headers
    /// (those after the Fragment header); skip them to reach the transport.
    static func skipIPv6Extensions(_ datagram: IPDatagram) -> IPDatagram {
        var d = datagram
        var next = d.transport
        var at = d.payload.startIndex
        while [0, 43, 60, 135, 139, 140, 51].contains(next) {
            guard let n = d.payload.u8(at), let len = d.payload.u8(at + 1) else { break }
            let size = next == 51 ? (Int(len) + 2) * 4 : (Int(len) + 1) * 8
            guard at + size <= d.payload.endIndex else { break }
            next = n
            at += size
        }
        d.declaredLength -= at - d.payload.startIndex
        d.transport = next
        d.payload = d.payload[at...]
        return d
    }
}
