@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// Runs frames through an extractor and sorts what comes out.
struct ExtractorRun {
    let extractor = SIPMessageExtractor()
    var messages: [CapturedMessage] = []
    var diagnostics: [Diagnostic] = []
    var unreachables: [ICMPUnreachable] = []

    mutating func process(_ frames: [CapturedFrame], finish: Bool = true) {
        var out: [SIPMessageExtractor.Output] = []
        for f in frames { extractor.process(f) { out.append($0) } }
        if finish { extractor.finish { out.append($0) } }
        for o in out {
            switch o {
            case .message(let m): messages.append(m)
            case .diagnostic(let d): diagnostics.append(d)
            case .unreachable(let u, _): unreachables.append(u)
            }
        }
    }
}

@Suite struct SIPMessageExtractorTests {
    @Test func udpSIPDatagram() throws {
        var run = ExtractorRun()
        let sip = bytes(sipMessage(callID: "udp-1", body: "k=1"))
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: 5062, dport: 5060, sip))))])
        let m = try #require(run.messages.first)
        #expect(run.messages.count == 1)
        #expect(m.message.callID == "udp-1")
        #expect(m.transport == .udp)
        #expect(m.source.description == "10.0.0.1:5062")
        #expect(m.destination.description == "10.0.0.2:5060")
        #expect(m.frame == 1 && m.frames == [1])
        #expect(m.effectiveBody.text == "k=1")
        #expect(m.diagnostics.isEmpty)
        #expect(!m.isTruncatedByCapture)
        #expect(run.extractor.statistics.sipMessages == 1)
        #expect(run.extractor.statistics.udpDatagrams == 1)
    }

    @Test func nonSIPUDPIsCounted() {
        var run = ExtractorRun()
        let rtp: [UInt8] = [0x80, 0x00, 0x00, 0x01] + [UInt8](repeating: 0xd5, count: 168)
        let dns: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: 10000, dport: 20000, rtp)))),
                     Build.frame(2, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: 53, dport: 5353, dns)))),
                     Build.frame(3, Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes("Hello there\r\n")))))])
        #expect(run.messages.isEmpty)
        #expect(run.extractor.statistics.nonSIPDatagrams == 3)
        #expect(run.extractor.statistics.udpDatagrams == 3)
    }

    @Test func keepaliveIsCounted() {
        var run = ExtractorRun()
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes("\r\n\r\n"))))),
                     Build.frame(2, Build.ethernet(Build.ipv4(proto: 17, Build.udp(bytes("\r\n")))))])
        #expect(run.messages.isEmpty)
        #expect(run.extractor.statistics.keepalives == 2)
        #expect(run.extractor.statistics.nonSIPDatagrams == 0)
    }

    @Test func snapLengthCutUDPIsCaptureTruncated() throws {
        var run = ExtractorRun()
        let sip = bytes(sipMessage(callID: "snap", body: String(repeating: "x", count: 200)))
        let whole = Build.ethernet(Build.ipv4(proto: 17, Build.udp(sip)))
        run.process([Build.frame(1, Array(whole.dropLast(150)), originalLength: whole.count)])
        let m = try #require(run.messages.first)
        #expect(m.isTruncatedByCapture)
        #expect(m.diagnostics.map(\.code) == ["capture-truncated"])
        #expect(m.bodyLength == 50)
    }

    @Test func icmpPortUnreachableQuotingAUDPDatagram() throws {
        var run = ExtractorRun()
        // The MESSAGE 10.0.0.1:5060 → 10.0.0.2:5062 as the ICMP error quotes it: IP header + 8 bytes.
        let original = Build.ipv4(src: hostA, dst: hostB, proto: 17, totalLength: 20 + 8 + 400,
                                   be16(5060) + be16(5062) + be16(408) + [0, 0])
        let icmp: [UInt8] = [3, 3, 0, 0, 0, 0, 0, 0] + original
        run.process([Build.frame(1, Build.ethernet(Build.ipv4(src: hostB, dst: hostA, proto: 1, icmp)))])
        let u = try #require(run.unreachables.first)
        #expect(u.originalSource.description == "10.0.0.1:5060")
        #expect(u.originalDestination.description == "10.0.0.2:5062")
        #expect(u.originalTransport == 17)
        #expect(u.reporter == IPAddress(hostB))
        #expect(u.reason == "port unreachable")
        #expect(u.frame == 1)
        #expect(run.messages.isEmpty)
    }

    @Test func udpFragmentsOutOfOrder() throws {
        var run = ExtractorRun()
        let udp = Build.udp(bytes(sipMessage(callID: "frag", body: String(repeating: "b", count: 300))))
        let cut = 160  // a multiple of 8
        let second = Build.ipv4(proto: 17, id: 9, offset: cut, Array(udp[cut...]))
        let first = Build.ipv4(proto: 17, id: 9, moreFragments: true, Array(udp[..<cut]))
        run.process([Build.frame(1, Build.ethernet(second)), Build.frame(2, Build.ethernet(first))])
        let m = try #require(run.messages.first)
        #expect(run.messages.count == 1)
        #expect(m.message.callID == "frag")
        #expect(m.frames == [1, 2])
        #expect(m.frame == 2)
        #expect(m.effectiveBody.count == 300)
        #expect(m.diagnostics.isEmpty)
    }

    @Test func incompleteFragmentsAreReportedAtTheEnd() {
        var run = ExtractorRun()
        let udp = Build.udp(bytes(sipMessage(callID: "lost", body: String(repeating: "b", count: 300))))
        run.process([Build.frame(4, Build.ethernet(Build.ipv4(proto: 17, id: 9, moreFragments: true, Array(udp[..<160]))))])
        #expect(run.messages.isEmpty)
        #expect(run.diagnostics.map(\.code) == ["ip-fragment-incomplete"])
        #expect(run.diagnostics.first?.frame == 4)
    }

    @Test func tcpMessageAcrossSegments() throws {
        var run = ExtractorRun()
        let sip = bytes(sipMessage(callID: "tcp-1", body: "0123456789") + sipMessage(callID: "tcp-2"))
        let split = 50
        func seg(_ n: Int, seq: UInt32, flags: UInt8, _ payload: [UInt8]) -> CapturedFrame {
            Build.frame(n, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(seq: seq, flags: flags, payload))))
        }
        run.process([seg(1, seq: 999, flags: 0x02, []),
                     seg(2, seq: 1000 + UInt32(split), flags: 0x18, Array(sip[split...])),   // out of order
                     seg(3, seq: 1000, flags: 0x18, Array(sip[..<split]))])
        #expect(run.messages.map { $0.message.callID ?? "?" } == ["tcp-1", "tcp-2"])
        let m = try #require(run.messages.first)
        #expect(m.transport == .tcp)
        #expect(m.source.description == "10.0.0.1:40000")
        #expect(m.frames == [2, 3])
        #expect(m.frame == 3)
        #expect(m.effectiveBody.text == "0123456789")
        #expect(run.extractor.statistics.tcpSegments == 3)
    }

    @Test func tlsIsReportedOncePerConnection() {
        var run = ExtractorRun()
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x50] + [UInt8](repeating: 1, count: 80)
        run.process([
            Build.frame(1, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 40000, dport: 5061, seq: 1, hello)))),
            Build.frame(2, Build.ethernet(Build.ipv4(src: hostB, dst: hostA, proto: 6, Build.tcp(sport: 5061, dport: 40000, seq: 7, hello)))),
            Build.frame(3, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 40000, dport: 5061, seq: 86, [0x17, 0x03, 0x03, 0, 1, 0])))),
        ])
        #expect(run.diagnostics.map(\.code) == ["tls-unreadable"])
        #expect(run.diagnostics.first?.frame == 1)
        #expect(run.extractor.statistics.tlsConnections == 1)
        #expect(run.messages.isEmpty)
    }

    @Test func unsupportedLinkTypeIsNamedOnce() {
        var run = ExtractorRun()
        run.process([Build.frame(1, [1, 2, 3, 4], linkType: LinkType(147)), Build.frame(2, [1, 2, 3, 4], linkType: LinkType(147))])
        #expect(run.diagnostics.map(\.code) == ["unsupported-link-type"])
        #expect(run.extractor.onlyUnsupportedLinkTypes)
        #expect(run.extractor.unsupportedLinkTypes == [LinkType(147)])
    }

    @Test func garbageFramesNeverTrap() {
        var run = ExtractorRun()
        var frames: [CapturedFrame] = []
        var state: UInt64 = 7
        for i in 0..<500 {
            var b: [UInt8] = Build.ethernet(Build.ipv4(proto: i % 2 == 0 ? 6 : 17, []))
            for _ in 0..<(i % 90) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                b.append(UInt8(truncatingIfNeeded: state >> 40))
            }
            if i % 3 == 0 { b = Array(b.prefix(i % 40)) }
            frames.append(Build.frame(i + 1, b))
        }
        run.process(frames)
        #expect(run.extractor.statistics.frames == 500)
    }
}

@Suite struct RetransmissionDetectorTests {
    func captured(_ text: String, at seconds: Int64, from: Endpoint = epA, to: Endpoint = epB) -> CapturedMessage {
        CapturedMessage(message: SIPHeaderParser.parse(bytes(text))!, frame: 1, frames: [1],
                        time: Timestamp(seconds: seconds, nanoseconds: 0), transport: .udp, source: from, destination: to,
                        isTruncatedByCapture: false, diagnostics: [], effectiveBody: [])
    }

    @Test func sameBranchCSeqAndDirectionWithinTheWindow() {
        var d = RetransmissionDetector(window: 40)
        do { let r = d.isRetransmission(captured(sipMessage(), at: 100)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(), at: 100)); #expect(r) }
        do { let r = d.isRetransmission(captured(sipMessage(), at: 132)); #expect(r) }
    }

    @Test func afterTheWindowItIsNew() {
        var d = RetransmissionDetector(window: 40)
        do { let r = d.isRetransmission(captured(sipMessage(), at: 100)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(), at: 141)); #expect(!r) }
    }

    @Test func differencesMakeANewMessage() {
        var d = RetransmissionDetector()
        do { let r = d.isRetransmission(captured(sipMessage(), at: 0)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(cseq: 2), at: 1)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(branch: "z9hG4bK-other"), at: 1)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(callID: "other"), at: 1)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipMessage(), at: 1, from: epB, to: epA)); #expect(!r) }
    }

    @Test func aRepeatedResponse() {
        var d = RetransmissionDetector()
        do { let r = d.isRetransmission(captured(sipResponse(code: 200), at: 0, from: epB, to: epA)); #expect(!r) }
        do { let r = d.isRetransmission(captured(sipResponse(code: 200), at: 4, from: epB, to: epA)); #expect(r) }
        // A different status for the same transaction is news, not a repeat.
        do { let r = d.isRetransmission(captured(sipResponse(code: 202), at: 5, from: epB, to: epA)); #expect(!r) }
        // The request of that transaction is not the response repeated.
        do { let r = d.isRetransmission(captured(sipMessage(), at: 5)); #expect(!r) }
    }

    @Test func withoutCSeqNothingIsARetransmission() {
        var d = RetransmissionDetector()
        let text = "MESSAGE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n"
        do { let r = d.isRetransmission(captured(text, at: 0)); #expect(!r) }
        do { let r = d.isRetransmission(captured(text, at: 0)); #expect(!r) }
    }
}
