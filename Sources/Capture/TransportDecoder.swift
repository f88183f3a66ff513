import Base

/// Turns an IP datagram into the transport unit it carries.
public enum TransportDecoder {
    public enum Decoded {
        case udp(UDPDatagram)
        case tcp(TCPSegment)
        case unreachable(ICMPUnreachable)
        case other
        case malformed(String)
    }

    public static func decode(_ d: IPDatagram, frame: Int) -> Decoded {
        let b = d.payload
        let s = b.startIndex
        switch d.transport {
        case 17:
            guard b.count >= 8, let sp = b.u16be(s), let dp = b.u16be(s + 2), let len = b.u16be(s + 4) else {
                return .malformed("UDP header cut short")
            }
            // Length 0 happens for jumbograms and some offloaded captures: take what is there.
            let declared = len >= 8 ? Int(len) - 8 : b.count - 8
            let available = b.count - 8
            let end = s + 8 + min(declared, max(0, available))
            return .udp(UDPDatagram(source: Endpoint(address: d.source, port: sp),
                                    destination: Endpoint(address: d.destination, port: dp),
                                    payload: b[(s + 8)..<max(s + 8, end)], frames: d.frames,
                                    isTruncatedByCapture: d.isTruncatedByCapture && declared > available, tunnel: d.tunnel))
        case 6:
            guard let sp = b.u16be(s), let dp = b.u16be(s + 2), let seq = b.u32be(s + 4), let ackNo = b.u32be(s + 8),
                  let off = b.u8(s + 12), let flags = b.u8(s + 13) else {
                return .malformed("TCP header cut short")
            }
            let headerLength = Int(off >> 4) * 4
            guard headerLength >= 20, headerLength <= b.count else { return .malformed("TCP header length \(headerLength) is impossible") }
            return .tcp(TCPSegment(source: Endpoint(address: d.source, port: sp),
                                   destination: Endpoint(address: d.destination, port: dp),
                                   sequence: seq, acknowledgment: ackNo,
                                   syn: flags & 0x02 != 0, ack: flags & 0x10 != 0, fin: flags & 0x01 != 0, rst: flags & 0x04 != 0,
                                   payload: b[(s + headerLength)...],
                                   payloadLength: max(b.count, d.declaredLength) - headerLength, frame: frame, tunnel: d.tunnel))
        case 1:
            guard b.count >= 8, let type = b.u8(s), let code = b.u8(s + 1), type == 3 else { return .other }
            let reasons = [0: "network unreachable", 1: "host unreachable", 2: "protocol unreachable",
                           3: "port unreachable", 9: "network prohibited", 10: "host prohibited", 13: "communication prohibited"]
            return quoted(b[(s + 8)...], reporter: d.source, reason: reasons[Int(code)] ?? "destination unreachable (code \(code))", frame: frame)
        case 58:
            guard b.count >= 8, let type = b.u8(s), let code = b.u8(s + 1), type == 1 else { return .other }
            let reasons = [0: "no route", 1: "communication prohibited", 3: "address unreachable", 4: "port unreachable"]
            return quoted(b[(s + 8)...], reporter: d.source, reason: reasons[Int(code)] ?? "destination unreachable (code \(code))", frame: frame)
        default:
            return .other
        }
    }

    /// The packet an ICMP error quotes: its IP header and the first 8 bytes of its transport.
    private static func quoted(_ b: ArraySlice<UInt8>, reporter: IPAddress, reason: String, frame: Int) -> Decoded {
        guard let first = b.u8(b.startIndex) else { return .malformed("ICMP error quotes nothing") }
        let payload = NetworkPayload(kind: first >> 4 == 6 ? .ipv6 : .ipv4, bytes: b)
        let inner: IPDatagram
        switch IPDecoder.decode(payload, frame: frame, frameTruncated: true) {
        case .datagram(let d): inner = d
        case .fragment(let f):
            guard f.offset == 0 else { return .other }
            inner = IPDatagram(source: f.key.source, destination: f.key.destination, transport: f.key.transport,
                               payload: f.bytes, frames: [frame], isTruncatedByCapture: true, declaredLength: f.bytes.count)
        case .invalid(let why): return .malformed("ICMP error quotes a bad packet: \(why)")
        }
        let p = inner.payload
        guard let sp = p.u16be(p.startIndex), let dp = p.u16be(p.startIndex + 2) else { return .other }
        return .unreachable(ICMPUnreachable(reporter: reporter,
                                            originalSource: Endpoint(address: inner.source, port: sp),
                                            originalDestination: Endpoint(address: inner.destination, port: dp),
                                            originalTransport: inner.transport, reason: reason, frame: frame))
    }
}
