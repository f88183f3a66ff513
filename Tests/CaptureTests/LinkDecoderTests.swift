import Testing
@testable import Capture
import TestSupport

@Suite struct LinkDecoderTests {
    let ip4 = Build.ipv4(proto: 17, Build.udp(bytes("x")))

    private func decode(_ b: [UInt8], _ type: LinkType) -> Result<NetworkPayload, LinkDecoder.Failure> {
        LinkDecoder.decode(b[...], linkType: type)
    }

    @Test(arguments: [0, 1, 2, 3])
    func ethernetWithVLANTags(count: Int) throws {
        let all: [(tpid: UInt16, vid: UInt16)] = [(0x88a8, 100), (0x8100, 200), (0x8100, 300)]
        let frame = Build.ethernet(type: 0x0800, tags: Array(all.prefix(count)), ip4)
        let p = try decode(frame, .ethernet).get()
        #expect(p.kind.name == "ipv4")
        #expect(p.bytes.startIndex == 14 + 4 * count)
        #expect(Array(p.bytes) == ip4)
    }

    @Test func ethernetIPv6AndOtherEthertype() throws {
        let ip6 = Build.ipv6(next: 59, [])
        #expect(try decode(Build.ethernet(type: 0x86dd, ip6), .ethernet).get().kind.name == "ipv6")
        #expect(try decode(Build.ethernet(type: 0x0806, [0, 1]), .ethernet).get().kind.name == "other(2054)")
    }

    @Test func linuxSLL() throws {
        // packet type, ARPHRD, address length, 8 address bytes, protocol.
        let header: [UInt8] = be16(0) + be16(1) + be16(6) + [1, 2, 3, 4, 5, 6, 0, 0] + be16(0x0800)
        let p = try decode(header + ip4, .linuxSLL).get()
        #expect(p.kind.name == "ipv4")
        #expect(Array(p.bytes) == ip4)
    }

    @Test func linuxSLL2() throws {
        // protocol, reserved, interface index, ARPHRD, packet type, address length, 8 address bytes.
        let ip6 = Build.ipv6(next: 17, Build.udp(bytes("y")))
        let header: [UInt8] = be16(0x86dd) + be16(0) + be32(3) + be16(1) + [4, 6] + [1, 2, 3, 4, 5, 6, 0, 0]
        #expect(header.count == 20)
        let p = try decode(header + ip6, .linuxSLL2).get()
        #expect(p.kind.name == "ipv6")
        #expect(Array(p.bytes) == ip6)
    }

    @Test func linuxSLL2TooShort() {
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode(be16(0x0800) + [0, 0, 0], .linuxSLL2).get() }
    }

    @Test func rawIP() throws {
        let ip6 = Build.ipv6(next: 59, [])
        #expect(try decode(ip4, .raw).get().kind.name == "ipv4")
        #expect(Array(try decode(ip4, .raw).get().bytes) == ip4)
        #expect(try decode(ip6, .raw).get().kind.name == "ipv6")
        #expect(try decode(ip4, .ipv4).get().kind.name == "ipv4")
        #expect(try decode([0x50, 0, 0], .raw).get().kind.name == "other(5)")
    }

    @Test func bsdNullIPv4InEitherByteOrder() throws {
        for header in [le32(2), be32(2)] {
            let p = try decode(header + ip4, .null).get()
            #expect(p.kind.name == "ipv4")
            #expect(Array(p.bytes) == ip4)
        }
    }

    @Test(arguments: [UInt32(24), 28, 30])
    func bsdNullIPv6FamilyValues(family: UInt32) throws {
        let ip6 = Build.ipv6(next: 59, [])
        #expect(try decode(le32(family) + ip6, .null).get().kind.name == "ipv6")
        #expect(try decode(be32(family) + ip6, .null).get().kind.name == "ipv6")
    }

    @Test func loopIsAlwaysNetworkOrder() throws {
        #expect(try decode(be32(2) + ip4, .loop).get().kind.name == "ipv4")
        #expect(try decode(be32(24) + ip4, .loop).get().kind.name == "ipv6")
    }

    @Test func unsupportedLinkType() {
        #expect(throws: LinkDecoder.Failure.unsupported(LinkType(147))) { try decode(ip4, LinkType(147)).get() }
        #expect(!LinkType(147).isSupported)
        #expect(LinkType.linuxSLL2.isSupported)
    }

    @Test func framesTooShort() {
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], .ethernet).get() }
        // A VLAN tag announced but cut off.
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode([UInt8](repeating: 0, count: 12) + be16(0x8100) + [0], .ethernet).get() }
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode([UInt8](repeating: 0, count: 15), .linuxSLL).get() }
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode([2, 0, 0], .null).get() }
        #expect(throws: LinkDecoder.Failure.tooShort) { try decode([], .raw).get() }
    }

    @Test func decodesASliceThatDoesNotStartAtZero() throws {
        let buffer = [0xee, 0xee] + Build.ethernet(type: 0x0800, tags: [(0x8100, 5)], ip4)
        let p = try LinkDecoder.decode(buffer[2...], linkType: .ethernet).get()
        #expect(Array(p.bytes) == ip4)
    }
}
