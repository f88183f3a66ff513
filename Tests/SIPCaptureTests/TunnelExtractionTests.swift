@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// Tunnelled packets through the whole extractor: inner SIP read as any other, flows kept apart
/// by the tunnel they came in, and hostile nesting reported without stopping the capture.
@Suite struct TunnelExtractionTests {
    let outerA: [UInt8] = [192, 0, 2, 1], outerB: [UInt8] = [192, 0, 2, 2]

    func gre(key: UInt32, _ inner: [UInt8], src: [UInt8]? = nil, dst: [UInt8]? = nil) -> [UInt8] {
        Build.ipv4(src: src ?? outerA, dst: dst ?? outerB, proto: 47, be16(0x2000) + be16(0x0800) + be32(key) + inner)
    }

    func vxlan(vni: UInt32, _ innerIP: [UInt8]) -> [UInt8] {
        Build.ipv4(src: outerA, dst: outerB, proto: 17,
                    Build.udp(sport: 50000, dport: 4789, [0x08, 0, 0, 0] + be32(vni << 8) + Build.ethernet(innerIP)))
    }

    @Test func sipInsideVXLANIsReadAndTagged() throws {
        var run = ExtractorRun()
        let sip = Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: "vx-1", body: "k=1"))))
        run.process([Build.frame(1, Build.ethernet(vxlan(vni: 42, sip)))])
        let m = try #require(run.messages.first)
        #expect(m.message.callID == "vx-1")
        #expect(m.source == epA && m.destination == epB)
        #expect(m.tunnel?.description == "vxlan vni 42 192.0.2.1→192.0.2.2")
        #expect(run.extractor.statistics.sipMessages == 1)
    }

    @Test func plainMessagesHaveNoTunnel() throws {
        var run = ExtractorRun()
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: "p"))))))])
        #expect(try #require(run.messages.first).tunnel == nil)
    }

    /// The fast path for non-SIP UDP must not swallow a tunnel whose header cannot begin SIP.
    @Test func vxlanIsNotSkippedAsNonSIPUDP() {
        let packet = vxlan(vni: 1, Build.ipv4(proto: 17, Build.udp(bytes(sipMessage()))))
        #expect(!SIPMessageExtractor.isWholeNonSIPUDP(packet[...]))
        let rtp = Build.ipv4(proto: 17, Build.udp(sport: 4000, dport: 4002, [0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(SIPMessageExtractor.isWholeNonSIPUDP(rtp[...]))
    }

    /// Two GRE tunnels carry the same private addresses and ports over TCP, interleaved: each
    /// stream is reassembled on its own and each message is tagged with its tunnel.
    @Test func sameInnerAddressesInTwoTunnelsStayApart() throws {
        let one = bytes(sipMessage(callID: "tenant-1", body: "k=1\r\nc=on\r\n"))
        let two = bytes(sipMessage(callID: "tenant-2", body: "k=2\r\nc=off\r\n"))
        func seg(_ key: UInt32, _ seq: UInt32, _ payload: ArraySlice<UInt8>) -> [UInt8] {
            Build.ethernet(gre(key: key, Build.ipv4(proto: 6, Build.tcp(seq: seq, Array(payload)))))
        }
        let half1 = one.count / 2, half2 = two.count / 2
        var run = ExtractorRun()
        run.process([
            Build.frame(1, seg(5, 1000, one[..<half1])),
            Build.frame(2, seg(6, 1000, two[..<half2])),
            Build.frame(3, seg(5, 1000 + UInt32(half1), one[half1...])),
            Build.frame(4, seg(6, 1000 + UInt32(half2), two[half2...])),
        ])
        #expect(run.messages.count == 2, "\(run.diagnostics.map(\.message))")
        let byID = Dictionary(uniqueKeysWithValues: run.messages.map { ($0.message.callID ?? "", $0) })
        #expect(byID["tenant-1"]?.tunnel?.layers.first?.id == 5)
        #expect(byID["tenant-2"]?.tunnel?.layers.first?.id == 6)
        #expect(byID["tenant-1"]?.message.body == Array("k=1\r\nc=on\r\n".utf8))
        #expect(run.diagnostics.isEmpty, "\(run.diagnostics.map(\.message))")
    }

    /// Fragments of the same inner datagram id and addresses from two tunnels are not mixed.
    @Test func fragmentsFromTwoTunnelsAreNotMixed() throws {
        let body = String(repeating: "x", count: 600)
        let udp = Build.udp(bytes(sipMessage(callID: "frag", body: body)))
        let cut = 400
        func frag(_ key: UInt32, first: Bool, _ fill: UInt8?) -> [UInt8] {
            var data = first ? Array(udp[..<cut]) : Array(udp[cut...])
            if let fill { data = data.map { _ in fill } }
            let ip = Build.ipv4(proto: 17, id: 77, moreFragments: first, offset: first ? 0 : cut,
                                 totalLength: 20 + data.count, data)
            return Build.ethernet(gre(key: key, ip))
        }
        var run = ExtractorRun()
        // Tunnel 6's second fragment is garbage: if keys were shared, tunnel 5's datagram would take it.
        run.process([Build.frame(1, frag(5, first: true, nil)), Build.frame(2, frag(6, first: false, 0x21)),
                     Build.frame(3, frag(5, first: false, nil))])
        let m = try #require(run.messages.first { $0.message.callID == "frag" })
        #expect(m.frames == [1, 3])
        #expect(m.tunnel?.layers.first?.id == 5)
    }

    /// 1,000 GRE layers inside each other: one diagnostic, the frame counted unread, bounded
    /// time and depth, and the good message in the next frame still read.
    @Test func thousandNestedGRELayers() throws {
        var packet = Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: "buried"))))
        for _ in 0..<1000 { packet = gre(key: 1, packet) }
        var run = ExtractorRun()
        let clock = ContinuousClock()
        let took = clock.measure {
            run.process([Build.frame(1, Build.ethernet(packet)),
                         Build.frame(2, Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: "after"))))))])
        }
        #expect(took < .seconds(2))
        #expect(run.messages.map { $0.message.callID } == ["after"])
        let deep = run.diagnostics.filter { $0.code == "tunnel-too-deep" }
        #expect(deep.count == 1 && deep.first?.frame == 1)
        #expect(run.extractor.statistics.unread.byReason["tunnel deeper than 8 layers"]?.frames == 1)
    }

    /// Eight layers are read; a ninth is too deep.
    @Test func depthBoundIsEight() throws {
        func nested(_ depth: Int, _ id: String) -> [UInt8] {
            var p = Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: id))))
            for _ in 0..<depth { p = gre(key: 2, p) }
            return Build.ethernet(p)
        }
        var run = ExtractorRun()
        run.process([Build.frame(1, nested(8, "eight")), Build.frame(2, nested(9, "nine"))])
        #expect(run.messages.map { $0.message.callID } == ["eight"])
        #expect(run.messages.first?.tunnel?.depth == 8)
        #expect(run.diagnostics.map(\.code) == ["tunnel-too-deep"])
    }

    /// Tunnel headers whose lengths run past the packet: reported with the frame, counted, and
    /// the next frame read.
    @Test func truncatedTunnelHeadersAreReportedAndSkipped() throws {
        let endlessMPLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] + be16(0x8847) + (0..<50).flatMap { _ in be32(9 << 12) }
        let gtpPast = Build.ethernet(Build.ipv4(src: outerA, dst: outerB, proto: 17,
            Build.udp(sport: 2152, dport: 2152, [0x34, 255] + be16(8) + be32(1) + [0, 0, 0, 0x85] + [255, 0, 0, 0])))
        let genevePast = Build.ethernet(Build.ipv4(src: outerA, dst: outerB, proto: 17,
            Build.udp(sport: 1, dport: 6081, [63, 0] + be16(0x6558) + be32(0))))
        let good = Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes(sipMessage(callID: "good")))))
        var run = ExtractorRun()
        run.process([Build.frame(1, endlessMPLS), Build.frame(2, gtpPast), Build.frame(3, genevePast), Build.frame(4, good)])
        #expect(run.messages.map { $0.message.callID } == ["good"])
        #expect(run.diagnostics.filter { $0.code == "tunnel-malformed" }.compactMap(\.frame) == [1, 2, 3])
        #expect(run.extractor.statistics.unread.total == 3)
    }

    @Test func pppoeDiscoveryIsCountedUnread() {
        let padi = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] + be16(0x8863) + [0x11, 0x09, 0, 0, 0, 4, 1, 1, 0, 0]
        var run = ExtractorRun()
        run.process([Build.frame(1, padi)])
        #expect(run.extractor.statistics.unread.byReason["PPPoE discovery"]?.frames == 1)
        #expect(run.messages.isEmpty && run.diagnostics.isEmpty)
    }
}
