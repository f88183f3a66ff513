@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import TestSupport

/// Every give-up point of the extractor counts its frame once, under the reason a person would
/// give, and the books balance: frames = read + unread.
@Suite struct UnreadFramesTests {
    static func run(_ frames: [CapturedFrame]) -> (ExtractionStatistics, [String: UnreadFrames.Count]) {
        var run = ExtractorRun()
        run.process(frames)
        let s = run.extractor.statistics
        return (s, s.unread.byReason)
    }

    @Test func eachLayerNamesWhatItGaveUpOn() throws {
        let rtp = [0x80, 0x00] + be16(1) + be32(160) + be32(0x5eed) + Array(repeating: 0xff, count: 20)
        let sip = bytes(sipMessage(callID: "tcp-1", body: "k=1"))
        let frames: [CapturedFrame] = [
            Build.frame(1, [1, 2, 3], linkType: LinkType(105)),
            Build.frame(2, Build.ethernet(type: 0x88cc, Array(repeating: 0, count: 30))),
            Build.frame(3, Build.ethernet(type: 0x1234, Array(repeating: 0, count: 30))),
            // GRE is a tunnel now (its inner packet is read); ESP stays an IP protocol we cannot open.
            Build.frame(4, Build.ethernet(Build.ipv4(proto: 50, Array(repeating: 0, count: 8)))),
            Build.frame(5, Build.ethernet(Build.ipv4(proto: 253, Array(repeating: 0, count: 8)))),
            Build.frame(6, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: 40000, dport: 53, Array(repeating: 1, count: 12))))),
            Build.frame(7, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: 16384, dport: 17002, rtp)))),
            Build.frame(8, Build.ethernet(Build.ipv4(proto: 17, id: 9, moreFragments: true, Build.udp(Array(repeating: 0x41, count: 16))))),
            Build.frame(9, Build.ethernet([0x45, 0, 0, 10])),
            // A SIP connection: SYN, SYN-ACK, the MESSAGE, an ACK: all four read.
            Build.frame(10, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(seq: 100, flags: 0x02)))),
            Build.frame(11, Build.ethernet(Build.ipv4(src: hostB, dst: hostA, proto: 6, Build.tcp(sport: 5060, dport: 40000, seq: 500, ack: 101, flags: 0x12)))),
            Build.frame(12, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(seq: 101, ack: 501, sip)))),
            Build.frame(13, Build.ethernet(Build.ipv4(src: hostB, dst: hostA, proto: 6, Build.tcp(sport: 5060, dport: 40000, seq: 501, ack: 101 + UInt32(sip.count), flags: 0x10)))),
            // A connection with bytes that are not SIP, and one that never carried a byte.
            Build.frame(14, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 40001, dport: 7000, seq: 1, bytes("hello there\r\n"))))),
            Build.frame(15, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 40002, dport: 7001, seq: 1, flags: 0x02)))),
            Build.frame(16, Build.ethernet(Build.ipv4(proto: 1, [8, 0, 0, 0, 0, 1, 0, 1]))),
        ]
        let (s, reasons) = Self.run(frames)
        #expect(s.frames == 16)
        #expect(s.framesRead == 4)
        #expect(s.framesRead + s.unread.total == s.frames)
        let expected: [String: (Int, Int)] = [
            "IEEE 802.11, link type 105": (1, 1), "LLDP, EtherType 0x88cc": (1, 2), "EtherType 0x1234": (1, 3),
            "ESP, IP protocol 50": (1, 4), "IP protocol 253": (1, 5), "DNS on UDP 53": (1, 6),
            UnreadReason.rtpLike: (1, 7), UnreadReason.fragmentsNeverCompleted: (1, 8), "malformed IPv4": (1, 9),
            UnreadReason.tcpNotSIP: (1, 14), UnreadReason.tcpWithoutPayload: (1, 15), "ICMP echo": (1, 16),
        ]
        #expect(reasons.count == expected.count, "\(reasons.keys.sorted())")
        for (reason, (n, first)) in expected {
            #expect(reasons[reason] == UnreadFrames.Count(frames: n, firstFrame: first), "\(reason): \(String(describing: reasons[reason]))")
        }
    }

    /// A datagram's fragments share its fate: read when it is SIP, counted all together when not.
    @Test func fragmentsFollowTheirDatagram() {
        let sip = bytes(sipMessage(callID: "frag", body: String(repeating: "k=1\r\n", count: 20)))
        let udp = Build.udp(sip)
        let cut = 48
        let frames = [
            Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, id: 7, moreFragments: true, Array(udp[..<cut])))),
            Build.frame(2, Build.ethernet(Build.ipv4(proto: 17, id: 7, offset: cut, Array(udp[cut...])))),
        ]
        let (s, reasons) = Self.run(frames)
        #expect(s.sipMessages == 1)
        #expect(s.framesRead == 2)
        #expect(reasons.isEmpty)
    }

    /// Hostile: every frame a new EtherType. Reasons stay bounded, every frame is still counted.
    @Test func inventedReasonsAreFolded() {
        let frames = (0..<2000).map { i in Build.frame(i + 1, Build.ethernet(type: UInt16(0x9100 + i * 7 % 0x6000 + 0x1000), [0, 0, 0, 0])) }
        let (s, reasons) = Self.run(frames)
        #expect(s.unread.total == 2000)
        #expect(reasons.count <= UnreadFrames.maxReasons + 1)
        #expect(reasons["other"] != nil)
        #expect(s.framesRead + s.unread.total == s.frames)
    }

    /// Before `finish`, frames waiting for their fate are held, never lost: the books balance
    /// with `accounting.held`; after it nothing is held.
    @Test func heldFramesSettleAtTheEnd() {
        var run = ExtractorRun()
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 40001, dport: 7000, seq: 1, flags: 0x02))))], finish: false)
        let before = run.extractor.statistics
        #expect(before.framesRead + before.unread.total + run.extractor.accounting.held == 1)
        #expect(run.extractor.accounting.held == 1)
        run.extractor.finish { _ in }
        #expect(run.extractor.accounting.held == 0)
        #expect(run.extractor.statistics.unread.byReason[UnreadReason.tcpWithoutPayload]?.frames == 1)
    }
}
