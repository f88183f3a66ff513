import Base
import Testing
@testable import Capture
import TestSupport

/// Each tunnel layer's decoder on bytes: the inner packet it hands back, the layer it names, and
/// what it says about headers cut short or chains that never end.
@Suite struct TunnelDecoderTests {
    let innerIPv4 = Build.ipv4(proto: 17, Build.udp(bytes("SIP")))
    let innerIPv6 = Build.ipv6(next: 17, Build.udp(bytes("SIP")))
    var innerEthernet: [UInt8] { Build.ethernet(type: 0x0800, innerIPv4) }
    let outerA = IPAddress([192, 0, 2, 1]), outerB = IPAddress([192, 0, 2, 2])

    func datagram(_ proto: UInt8, _ payload: [UInt8]) -> IPDatagram {
        IPDatagram(source: outerA, destination: outerB, transport: proto, payload: payload[...], frames: [1],
                   isTruncatedByCapture: false, declaredLength: payload.count)
    }

    func udp(sport: UInt16 = 40000, dport: UInt16, _ payload: [UInt8]) -> UDPDatagram {
        UDPDatagram(source: Endpoint(address: outerA, port: sport), destination: Endpoint(address: outerB, port: dport),
                    payload: payload[...], frames: [1], isTruncatedByCapture: false)
    }

    /// The inner payload's kind and bytes, and the layer; fails the test otherwise.
    func inner(_ p: TunnelPeel?, sourceLocation: SourceLocation = #_sourceLocation) -> (kind: String, bytes: [UInt8], layer: TunnelLayer)? {
        guard case .inner(let n, let layer)? = p else {
            Issue.record("expected an inner packet, got \(String(describing: p))", sourceLocation: sourceLocation)
            return nil
        }
        return (n.kind.name, Array(n.bytes), layer)
    }

    func malformed(_ p: TunnelPeel?) -> String? {
        if case .malformed(let why)? = p { return why }
        return nil
    }

    @Test func pppoeSessionCarriesIPv4AndIPv6() throws {
        let v4 = [0x11, 0x00] + be16(0x1234) + be16(UInt16(2 + innerIPv4.count)) + be16(0x0021) + innerIPv4
        let r = try #require(inner(PPPoEDecoder.decode(etherType: 0x8864, v4[...])))
        #expect(r.kind == "ipv4" && r.bytes == innerIPv4)
        #expect(r.layer.description == "pppoe session 4660")
        let v6 = [0x11, 0x00] + be16(1) + be16(UInt16(2 + innerIPv6.count)) + be16(0x0057) + innerIPv6
        #expect(try #require(inner(PPPoEDecoder.decode(etherType: 0x8864, v6[...]))).kind == "ipv6")
    }

    @Test func pppoeDiscoveryAndPPPControlAreNotSIP() {
        guard case .notSIP(let why) = PPPoEDecoder.decode(etherType: 0x8863, [0x11, 0x09, 0, 0, 0, 0][...]) else {
            Issue.record("discovery must be counted as not SIP"); return
        }
        #expect(why == "PPPoE discovery")
        let lcp: [UInt8] = [0x11, 0, 0, 1, 0, 6, 0xc0, 0x21, 1, 1, 0, 4]
        guard case .notSIP(let control) = PPPoEDecoder.decode(etherType: 0x8864, lcp[...]) else {
            Issue.record("LCP must be counted as not SIP"); return
        }
        #expect(control.contains("c021"))
        #expect(malformed(PPPoEDecoder.decode(etherType: 0x8864, [0x11, 0, 0][...])) != nil)
    }

    @Test func mplsStackToTheBottomThenIPByNibble() throws {
        // Label 1000 (not bottom), label 42 (bottom), IPv4.
        let stack = be32(1000 << 12 | 64) + be32(42 << 12 | 0x100 | 64)
        let r = try #require(inner(MPLSDecoder.decode((stack + innerIPv4)[...])))
        #expect(r.kind == "ipv4" && r.bytes == innerIPv4)
        #expect(r.layer.description == "mpls label 42")
        #expect(try #require(inner(MPLSDecoder.decode((be32(7 << 12 | 0x100) + innerIPv6)[...]))).kind == "ipv6")
    }

    @Test func mplsPseudowireWithControlWordCarriesEthernet() throws {
        let r = try #require(inner(MPLSDecoder.decode((be32(2001 << 12 | 0x100 | 64) + [0, 0, 0, 0] + innerEthernet)[...])))
        #expect(r.kind == "ipv4" && r.bytes == innerIPv4)
        #expect(r.layer.id == 2001)
    }

    @Test func mplsStackWithoutBottomIsMalformedNotALoop() {
        let endless = (0..<10_000).flatMap { _ in be32(5 << 12) }
        #expect(malformed(MPLSDecoder.decode(endless[...]))?.contains("deeper than") == true)
        #expect(malformed(MPLSDecoder.decode(be32(5 << 12)[...]))?.contains("no bottom") == true)
    }

    @Test func greWithChecksumKeyAndSequence() throws {
        let header: [UInt8] = be16(0xb000) + be16(0x0800) + [0, 0, 0, 0] + be32(5) + be32(99)
        let r = try #require(inner(GREDecoder.decode(datagram(47, header + innerIPv4))))
        #expect(r.kind == "ipv4" && r.bytes == innerIPv4)
        #expect(r.layer.description == "gre key 5 192.0.2.1→192.0.2.2")
        let plain = try #require(inner(GREDecoder.decode(datagram(47, be16(0) + be16(0x86dd) + innerIPv6))))
        #expect(plain.kind == "ipv6" && plain.layer.id == nil)
    }

    @Test func greTransparentEthernet() throws {
        let r = try #require(inner(GREDecoder.decode(datagram(47, be16(0x2000) + be16(0x6558) + be32(7) + innerEthernet))))
        #expect(r.kind == "ipv4" && r.bytes == innerIPv4 && r.layer.id == 7)
    }

    @Test func greRoutingEntriesThatNeverEndAreMalformed() {
        // R flag: checksum/offset word, then source-route entries with no terminating null entry.
        let entries = (0..<200).flatMap { _ in be16(0x0800) + [0, 4] + [1, 2, 3, 4] }
        let peel = GREDecoder.decode(datagram(47, be16(0x4000) + be16(0x0800) + [0, 0, 0, 0] + entries))
        #expect(malformed(peel)?.contains("never end") == true)
        let cut = GREDecoder.decode(datagram(47, be16(0x4000) + be16(0x0800) + [0, 0, 0, 0] + be16(0x0800) + [0, 200]))
        #expect(malformed(cut)?.contains("past the packet") == true)
        #expect(malformed(GREDecoder.decode(datagram(47, be16(0x2000) + be16(0x0800) + [0, 0]))) != nil)
    }

    @Test func erspanTypesOneTwoThree() throws {
        let one = try #require(inner(GREDecoder.decode(datagram(47, be16(0) + be16(0x88be) + innerEthernet))))
        #expect(one.layer.kind == .erspan1 && one.bytes == innerIPv4)
        let typeII = be32(0x1000_0000 | 12) + be32(3)
        let two = try #require(inner(GREDecoder.decode(datagram(47, be16(0x1000) + be16(0x88be) + be32(1) + typeII + innerEthernet))))
        #expect(two.layer.description == "erspan type ii session 12 192.0.2.1→192.0.2.2" && two.bytes == innerIPv4)
        // Type III with the O bit: 12-byte header plus an 8-byte platform sub-header.
        let typeIII = be32(0x2000_0000 | 99) + be32(1234) + be32(1) + [UInt8](repeating: 0, count: 8)
        let three = try #require(inner(GREDecoder.decode(datagram(47, be16(0x1000) + be16(0x22eb) + be32(1) + typeIII + innerEthernet))))
        #expect(three.layer.kind == .erspan3 && three.layer.id == 99 && three.bytes == innerIPv4)
        #expect(malformed(GREDecoder.decode(datagram(47, be16(0x1000) + be16(0x22eb) + be32(1) + [0x20, 0])) ) != nil)
    }

    @Test func ipInIPBothWays() throws {
        let four = try #require(inner(IPInIPDecoder.decode(datagram(4, innerIPv4))))
        #expect(four.kind == "ipv4" && four.layer.description == "ip-in-ip 192.0.2.1→192.0.2.2")
        let six = try #require(inner(IPInIPDecoder.decode(datagram(41, innerIPv6))))
        #expect(six.kind == "ipv6" && six.layer.kind == .ipv6InIP)
    }

    @Test func vxlanNeedsItsFlag() throws {
        let header: [UInt8] = [0x08, 0, 0, 0] + be32(42 << 8)
        let r = try #require(inner(VXLANDecoder.decode(udp(dport: 4789, header + innerEthernet))))
        #expect(r.layer.description == "vxlan vni 42 192.0.2.1→192.0.2.2" && r.bytes == innerIPv4)
        #expect(VXLANDecoder.decode(udp(dport: 4789, [0, 0, 0, 0] + be32(42 << 8) + innerEthernet)) == nil)
        #expect(malformed(VXLANDecoder.decode(udp(dport: 4789, header + [1, 2, 3]))) != nil)
    }

    @Test func geneveSkipsOptionsByLength() throws {
        let options: [UInt8] = be16(0x0102) + [0x80, 1] + [0, 0, 0, 42]   // one 8-byte option
        let header: [UInt8] = [2, 0] + be16(0x6558) + be32(77 << 8)
        let r = try #require(inner(GeneveDecoder.decode(udp(dport: 6081, header + options + innerEthernet))))
        #expect(r.layer.description == "geneve vni 77 192.0.2.1→192.0.2.2" && r.bytes == innerIPv4)
        // 63 words of options claimed, 8 bytes present.
        #expect(malformed(GeneveDecoder.decode(udp(dport: 6081, [63, 0] + be16(0x6558) + be32(0) + options))) != nil)
    }

    @Test func gtpuWithSequenceAndExtensionHeaders() throws {
        // Flags: version 1, PT, E and S; a PDU session container (0x85, 1 word), then none.
        let ext: [UInt8] = [1, 0x10, 5, 0]
        let payload = [0, 7, 0, 0x85] + ext + innerIPv6
        let gtp = [0x36, 255] + be16(UInt16(payload.count)) + be32(0x1001) + payload
        let r = try #require(inner(GTPUDecoder.decode(udp(sport: 2152, dport: 2152, gtp))))
        #expect(r.kind == "ipv6" && r.bytes == innerIPv6)
        #expect(r.layer.description == "gtp-u teid 4097 192.0.2.1→192.0.2.2")
        let plain = [0x30, 255] + be16(UInt16(innerIPv4.count)) + be32(9) + innerIPv4
        #expect(try #require(inner(GTPUDecoder.decode(udp(dport: 2152, plain)))).kind == "ipv4")
        guard case .notSIP? = GTPUDecoder.decode(udp(dport: 2152, [0x32, 1] + be16(4) + be32(0) + [0, 1, 0, 0])) else {
            Issue.record("an echo request is not SIP"); return
        }
    }

    @Test func gtpuExtensionChainsThatNeverEndAreMalformed() {
        // Every extension says another follows; 100 of them.
        let chain: [UInt8] = (0..<100).flatMap { _ -> [UInt8] in [1, 0, 0, 0x85] }
        let payload: [UInt8] = [0, 0, 0, 0x85] + chain
        let gtp: [UInt8] = [0x34, 255] + be16(UInt16(payload.count)) + be32(1) + payload
        #expect(malformed(GTPUDecoder.decode(udp(dport: 2152, gtp)))?.contains("never end") == true)
        // A zero length would never advance.
        let zero: [UInt8] = [0, 0, 0, 0x85, 0, 0, 0, 0]
        #expect(malformed(GTPUDecoder.decode(udp(dport: 2152, [UInt8]([0x34, 255]) + be16(8) + be32(1) + zero))) != nil)
        // Length past the packet.
        let past: [UInt8] = [0, 0, 0, 0x85, 200, 0, 0, 0]
        #expect(malformed(GTPUDecoder.decode(udp(dport: 2152, [UInt8]([0x34, 255]) + be16(8) + be32(1) + past))) != nil)
    }

    @Test func tunnelIdentityIgnoresDirectionButNotTheID() {
        let there = TunnelLayer(kind: .vxlan, id: 42, source: outerA, destination: outerB)
        let back = TunnelLayer(kind: .vxlan, id: 42, source: outerB, destination: outerA)
        let other = TunnelLayer(kind: .vxlan, id: 43, source: outerA, destination: outerB)
        #expect(there == back && there.hashValue == back.hashValue)
        #expect(there != other)
        let a = TCPFlowKey(source: Endpoint(address: IPAddress(hostA), port: 1), destination: Endpoint(address: IPAddress(hostB), port: 2),
                           tunnel: TunnelPath([there]))
        var b = a
        b.tunnel = TunnelPath([other])
        #expect(a != b)
        #expect(a.reversed.reversed == a)
        #expect(a.description.hasSuffix(" in vxlan vni 42 192.0.2.1→192.0.2.2"))
        #expect(TCPFlowKey(source: a.source, destination: a.destination).description == "10.0.0.1:1 → 10.0.0.2:2")
    }
}
