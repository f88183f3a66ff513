import Base
import Testing
@testable import Capture
import TestSupport

func ipDecode(_ b: [UInt8], v6: Bool = false, frame: Int = 1, truncated: Bool = false) -> IPDecoder.Parsed {
    IPDecoder.decode(NetworkPayload(kind: v6 ? .ipv6 : .ipv4, bytes: b[...]), frame: frame, frameTruncated: truncated)
}

func datagram(_ p: IPDecoder.Parsed, sourceLocation: SourceLocation = #_sourceLocation) -> IPDatagram? {
    if case .datagram(let d) = p { return d }
    Issue.record("expected a datagram, got \(p)", sourceLocation: sourceLocation)
    return nil
}

func fragment(_ p: IPDecoder.Parsed, sourceLocation: SourceLocation = #_sourceLocation) -> IPFragment? {
    if case .fragment(let f) = p { return f }
    Issue.record("expected a fragment, got \(p)", sourceLocation: sourceLocation)
    return nil
}

func isInvalid(_ p: IPDecoder.Parsed) -> Bool {
    if case .invalid = p { return true }
    return false
}

@Suite struct IPDecoderTests {
    @Test func ipv4Plain() throws {
        let udp = Build.udp(bytes("hello"))
        let d = try #require(datagram(ipDecode(Build.ipv4(proto: 17, udp), frame: 7)))
        #expect(d.source == IPAddress(hostA) && d.destination == IPAddress(hostB))
        #expect(d.transport == 17)
        #expect(Array(d.payload) == udp)
        #expect(d.frames == [7])
        #expect(d.declaredLength == udp.count)
        #expect(!d.isTruncatedByCapture)
    }

    @Test func ipv4WithOptions() throws {
        let udp = Build.udp(bytes("opt"))
        let packet = Build.ipv4(proto: 17, options: [0x94, 0x04, 0, 0, 0x01, 0x01, 0x01, 0x00], udp) // IHL 7
        #expect(packet[0] == 0x47)
        let d = try #require(datagram(ipDecode(packet)))
        #expect(Array(d.payload) == udp)
        #expect(d.payload.startIndex == 28)
    }

    @Test func ethernetPaddingIsTrimmedByTotalLength() throws {
        let udp = Build.udp([]) // 8 bytes: a 28-byte IP packet, padded to Ethernet's minimum
        let d = try #require(datagram(ipDecode(Build.ipv4(proto: 17, udp) + [UInt8](repeating: 0, count: 18))))
        #expect(Array(d.payload) == udp)
        #expect(!d.isTruncatedByCapture)
    }

    @Test func captureTruncatedIPv4() throws {
        let udp = Build.udp([UInt8](repeating: 0x41, count: 72))
        let whole = Build.ipv4(proto: 17, udp)
        let cut = Array(whole.prefix(60))
        let d = try #require(datagram(ipDecode(cut, truncated: true)))
        #expect(d.isTruncatedByCapture)
        #expect(d.payload.count == 40)
        #expect(d.declaredLength == 80)
        // The same short bytes without the capture saying it cut them: not the capture's doing.
        let lying = try #require(datagram(ipDecode(cut, truncated: false)))
        #expect(!lying.isTruncatedByCapture)
    }

    @Test func ipv4Fragment() throws {
        let f = try #require(fragment(ipDecode(Build.ipv4(proto: 17, id: 77, moreFragments: true, offset: 1480, [1, 2, 3, 4, 5, 6, 7, 8]))))
        #expect(f.offset == 1480)
        #expect(f.moreFragments)
        #expect(f.key.identification == 77)
        #expect(f.key.transport == 17)
        #expect(Array(f.bytes) == [1, 2, 3, 4, 5, 6, 7, 8])
        let last = try #require(fragment(ipDecode(Build.ipv4(proto: 17, offset: 8, [9]))))
        #expect(!last.moreFragments && last.offset == 8)
    }

    @Test func ipv6WithHopByHopAndDestinationOptions() throws {
        let udp = Build.udp(bytes("six"))
        let payload = Build.ipv6Options(next: 60) + Build.ipv6Options(next: 17, units: 1) + udp
        let d = try #require(datagram(ipDecode(Build.ipv6(next: 0, payload), v6: true)))
        #expect(d.transport == 17)
        #expect(Array(d.payload) == udp)
        #expect(d.declaredLength == udp.count)
        #expect(d.source == IPAddress(host6A))
        #expect(d.source.description == "2001:db8::1")
    }

    @Test func ipv6FragmentHeader() throws {
        let data: [UInt8] = Array(0..<16)
        let packet = Build.ipv6(next: 0, Build.ipv6Options(next: 44) + Build.ipv6Fragment(next: 17, offset: 1232, more: true, id: 0xdead_beef) + data)
        let f = try #require(fragment(ipDecode(packet, v6: true)))
        #expect(f.offset == 1232)
        #expect(f.moreFragments)
        #expect(f.key.identification == 0xdead_beef)
        #expect(f.key.transport == 17)
        #expect(Array(f.bytes) == data)
    }

    @Test func ipv6PaddingTrimmedAndTruncation() throws {
        let udp = Build.udp(bytes("pad"))
        let padded = try #require(datagram(ipDecode(Build.ipv6(next: 17, udp) + [0, 0, 0, 0], v6: true)))
        #expect(Array(padded.payload) == udp)
        let cut = try #require(datagram(ipDecode(Array(Build.ipv6(next: 17, udp).prefix(44)), v6: true, truncated: true)))
        #expect(cut.isTruncatedByCapture)
        #expect(cut.payload.count == 4)
        #expect(cut.declaredLength == udp.count)
    }

    @Test func garbage() {
        #expect(isInvalid(ipDecode([])))
        #expect(isInvalid(ipDecode([0x45, 0, 0])))                                  // cut short
        #expect(isInvalid(ipDecode([0x55] + [UInt8](repeating: 0, count: 30))))     // version 5
        #expect(isInvalid(ipDecode([0x44] + [UInt8](repeating: 0, count: 30))))     // IHL 4
        #expect(isInvalid(ipDecode([0x4f] + [UInt8](repeating: 0, count: 30))))     // IHL 15, header longer than bytes
        #expect(isInvalid(ipDecode(Build.ipv4(proto: 17, totalLength: 10, []))))    // total < header
        #expect(isInvalid(ipDecode([0x60] + [UInt8](repeating: 0, count: 20), v6: true)))
        #expect(isInvalid(ipDecode(Build.ipv4(proto: 17, []), v6: true)))          // IPv4 bytes said to be IPv6
        // An extension header whose length runs past the packet.
        #expect(isInvalid(ipDecode(Build.ipv6(next: 60, [17, 200, 0, 0, 0, 0, 0, 0]), v6: true)))
        // Extension headers chained past the end of the bytes.
        #expect(isInvalid(ipDecode(Build.ipv6(next: 0, [0, 0, 0, 0, 0, 0, 0, 0]), v6: true)))
        #expect(isInvalid(IPDecoder.decode(NetworkPayload(kind: .other(0x0806), bytes: [1, 2][...]), frame: 1, frameTruncated: false)))
    }

    @Test func hostileRandomBytesNeverTrap() {
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let n = Int(state >> 58)
            var b: [UInt8] = []
            for i in 0..<n { b.append(UInt8(truncatingIfNeeded: state >> UInt64(i % 56))) }
            if !b.isEmpty { b[0] = b[0] & 0x0f | (state & 1 == 0 ? 0x40 : 0x60) }
            let p = ipDecode(b, v6: state & 1 != 0)
            if case .datagram(let d) = p { _ = TransportDecoder.decode(d, frame: 1) }
        }
    }
}

@Suite struct TransportDecoderTests {
    private func ip(_ b: [UInt8], proto: UInt8, declared: Int? = nil, truncated: Bool = false) -> IPDatagram {
        IPDatagram(source: IPAddress(hostA), destination: IPAddress(hostB), transport: proto, payload: b[...], frames: [1],
                   isTruncatedByCapture: truncated, declaredLength: declared ?? b.count)
    }

    @Test func udpPayloadFollowsItsLengthField() throws {
        guard case .udp(let u) = TransportDecoder.decode(ip(Build.udp(sport: 5070, dport: 5060, bytes("abc")) + [0, 0], proto: 17), frame: 1) else {
            Issue.record("not UDP"); return
        }
        #expect(u.payload.text == "abc")
        #expect(u.source.description == "10.0.0.1:5070")
        #expect(u.destination.port == 5060)
        #expect(!u.isTruncatedByCapture)
    }

    @Test func udpCutByTheCapture() throws {
        let full = Build.udp([UInt8](repeating: 0x41, count: 100))
        guard case .udp(let u) = TransportDecoder.decode(ip(Array(full.prefix(30)), proto: 17, declared: full.count, truncated: true), frame: 1) else {
            Issue.record("not UDP"); return
        }
        #expect(u.payload.count == 22)
        #expect(u.isTruncatedByCapture)
    }

    @Test func tcpSegmentFields() throws {
        let seg = Build.tcp(sport: 1234, dport: 5060, seq: 0xfffffff0, ack: 99, flags: 0x19, bytes("data"))
        guard case .tcp(let t) = TransportDecoder.decode(ip(seg, proto: 6), frame: 4) else { Issue.record("not TCP"); return }
        #expect(t.sequence == 0xfffffff0 && t.acknowledgment == 99)
        #expect(t.fin && t.ack && !t.syn && !t.rst)
        #expect(t.payload.text == "data" && t.payloadLength == 4 && t.frame == 4)
    }

    @Test func tcpCutByTheCaptureKnowsItsRealLength() throws {
        let seg = Build.tcp(seq: 1, [UInt8](repeating: 0x42, count: 50))
        guard case .tcp(let t) = TransportDecoder.decode(ip(Array(seg.prefix(30)), proto: 6, declared: seg.count, truncated: true), frame: 1) else {
            Issue.record("not TCP"); return
        }
        #expect(t.payload.count == 10)
        #expect(t.payloadLength == 50)
    }

    @Test func malformedTransportHeaders() {
        if case .malformed = TransportDecoder.decode(ip([0, 1, 2], proto: 17), frame: 1) {} else { Issue.record("short UDP") }
        if case .malformed = TransportDecoder.decode(ip([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x30, 0], proto: 6), frame: 1) {} else { Issue.record("short TCP") }
        var badOffset = Build.tcp(seq: 1)
        badOffset[12] = 0x20 // data offset 8 bytes
        if case .malformed = TransportDecoder.decode(ip(badOffset, proto: 6), frame: 1) {} else { Issue.record("TCP offset 8") }
    }
}
