import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport


/// Bytes of the carriers: HEP envelopes, WebSocket frames, SCTP chunks.
enum Carrier {
    /// A HEP3 packet: original endpoints 10.9.0.1:5060 → 10.9.0.2:5062 at `seconds`, node 2001,
    /// with a vendor chunk the reader must skip.
    static func hep3(_ payload: [UInt8], compressed: Bool = false, correlation: String? = "corr-1",
                     seconds: UInt32 = 1_700_000_100, extra: [UInt8] = []) -> [UInt8] {
        HEPPacket.v3(payload, seconds: seconds, micros: 250_000, node: 2001,
                     vendorChunks: HEPPacket.chunk(0x20, Array("vendor".utf8), vendor: 7),
                     correlation: correlation, extra: extra, compressed: compressed)
    }

    /// Raw deflate, one stored block: valid compressed data without a compressor.
    static func storedDeflate(_ data: [UInt8]) -> [UInt8] {
        [0x01] + le16(UInt16(data.count)) + le16(~UInt16(data.count)) + data
    }

    /// Raw deflate, fixed Huffman: one literal then `copies` back-references of 258 bytes at
    /// distance 1: 13 bits that inflate to 258 bytes each (a compression bomb).
    static func deflateBomb(copies: Int) -> [UInt8] {
        var out: [UInt8] = []
        var bit = 0
        func put(_ v: Int, _ n: Int) {
            for i in 0..<n {
                if bit == 0 { out.append(0) }
                if (v >> i) & 1 == 1 { out[out.count - 1] |= UInt8(1 << bit) }
                bit = (bit + 1) % 8
            }
        }
        func huffman(_ code: Int, _ n: Int) { for i in (0..<n).reversed() { put((code >> i) & 1, 1) } }
        put(1, 1); put(1, 2)                 // final block, fixed Huffman
        huffman(0b0011_0000, 8)              // literal 0
        for _ in 0..<copies { huffman(0b1100_0101, 8); huffman(0, 5) } // length 258, distance 1
        huffman(0, 7)                        // end of block
        return out
    }

    static func wsFrame(_ payload: [UInt8], opcode: UInt8 = 1, fin: Bool = true, mask: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let m: UInt8 = mask == nil ? 0 : 0x80
        if payload.count < 126 { out.append(m | UInt8(payload.count)) }
        else if payload.count < 65536 { out.append(m | 126); out += be16(UInt16(payload.count)) }
        else { out.append(m | 127); out += be32(0) + be32(UInt32(payload.count)) }
        guard let mask else { return out + payload }
        return out + mask + payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
    }

    static func sctpData(tsn: UInt32, _ data: [UInt8], begin: Bool = true, end: Bool = true, stream: UInt16 = 0) -> [UInt8] {
        let flags: UInt8 = (begin ? 2 : 0) | (end ? 1 : 0)
        var chunk = [0, flags] + be16(UInt16(16 + data.count)) + be32(tsn) + be16(stream) + be16(0) + be32(0) + data
        while chunk.count % 4 != 0 { chunk.append(0) }
        return chunk
    }

    static func sctp(_ chunks: [UInt8], sport: UInt16 = 5060, dport: UInt16 = 5060) -> [UInt8] {
        be16(sport) + be16(dport) + be32(0x1234_5678) + be32(0) + chunks
    }
}

@Suite struct HEPDecoderTests {
    @Test func hep3ChunksGiveTheOriginalMessage() throws {
        let sip = bytes(sipMessage(callID: "hep-1", body: "k=3\r\nc=on\r\n"))
        guard case .packet(let p) = HEPDecoder.decode(Carrier.hep3(sip)[...]) else { Issue.record("not decoded"); return }
        #expect(p.payload == sip)
        #expect(p.envelope.source?.description == "10.9.0.1:5060")
        #expect(p.envelope.destination?.description == "10.9.0.2:5062")
        #expect(p.envelope.time == Timestamp(seconds: 1_700_000_100, nanoseconds: 250_000_000))
        #expect(p.envelope.nodeID == 2001 && p.envelope.correlationID == "corr-1" && p.envelope.ipProtocol == 17)
        #expect(p.problems.isEmpty)
    }

    @Test func compressedPayloadIsInflated() throws {
        let sip = bytes(sipMessage(callID: "hep-z"))
        guard case .packet(let p) = HEPDecoder.decode(Carrier.hep3(Carrier.storedDeflate(sip), compressed: true)[...]) else {
            Issue.record("not decoded"); return
        }
        #expect(p.payload == sip && p.envelope.wasCompressed)
    }

    @Test func hep2FixedHeader() throws {
        let sip = bytes(sipResponse(callID: "hep-2"))
        // version 2, header 16, IPv4, UDP, ports, addresses; then seconds, microseconds, capture id (little-endian) + padding.
        let packet: [UInt8] = [2, 16, 2, 17] + be16(5062) + be16(5060) + [10, 9, 0, 2] + [10, 9, 0, 1]
            + le32(1_700_000_200) + le32(500) + le16(2002) + [0, 0] + sip
        guard case .packet(let p) = HEPDecoder.decode(packet[...]) else { Issue.record("not decoded"); return }
        #expect(p.payload == sip)
        #expect(p.envelope.version == 2 && p.envelope.nodeID == 2002)
        #expect(p.envelope.time == Timestamp(seconds: 1_700_000_200, nanoseconds: 500_000))
        #expect(p.envelope.source?.description == "10.9.0.2:5062")
    }

    @Test func plainSIPIsNotHEP() {
        #expect(!HEPDecoder.mayBegin(bytes(sipMessage())[...]))
    }
}

@Suite struct CarrierExtractionTests {
    static func udpFrame(_ n: Int, _ payload: [UInt8], sport: UInt16 = 47000, dport: UInt16 = 9060) -> CapturedFrame {
        Build.frame(n, Build.ethernet(Build.ipv4(proto: 17, Build.udp(sport: sport, dport: dport, payload))))
    }

    @Test func hepOverUDPIsTheOriginalMessageAtTheHEPFrame() throws {
        var run = ExtractorRun()
        run.process([Self.udpFrame(1, Carrier.hep3(bytes(sipMessage(callID: "hep-udp"))))])
        let m = try #require(run.messages.first)
        #expect(m.message.callID == "hep-udp" && m.frame == 1 && m.transport == .udp)
        #expect(m.source.description == "10.9.0.1:5060" && m.time.seconds == 1_700_000_100)
        #expect(m.hep?.nodeID == 2001 && m.hep?.correlationID == "corr-1")
    }

    /// Hostile: a chunk length past the packet, a bomb, a total length past the datagram: each a
    /// diagnostic with its frame, memory bounded, and the good packet after each still read.
    @Test func hostileHEPThenGoodOnes() throws {
        var run = ExtractorRun()
        let pastPacket = Carrier.hep3(bytes(sipMessage(callID: "never")), extra: be16(0) + be16(15) + be16(60000) + [1, 2, 3])
        let bomb = Carrier.hep3(Carrier.deflateBomb(copies: 36_000), compressed: true)
        #expect(bomb.count < 65535)
        var longer = Carrier.hep3(bytes(sipMessage(callID: "never-2")))
        longer[4] = 0xff; longer[5] = 0xff
        run.process([
            Self.udpFrame(1, pastPacket), Self.udpFrame(2, Carrier.hep3(bytes(sipMessage(callID: "good-1")))),
            Self.udpFrame(3, bomb), Self.udpFrame(4, Carrier.hep3(bytes(sipMessage(callID: "good-2")))),
            Self.udpFrame(5, longer), Self.udpFrame(6, Carrier.hep3(bytes(sipMessage(callID: "good-3")))),
        ])
        #expect(run.messages.map { $0.message.callID ?? "?" } == ["good-1", "good-2", "good-3"])
        #expect(run.messages.map(\.frame) == [2, 4, 6])
        let codes = run.diagnostics.map { "\($0.frame ?? 0) \($0.code)" }
        #expect(codes.contains("1 hep-chunk-length"))
        #expect(codes.contains("3 hep-inflate-too-large"))
        #expect(codes.contains("5 hep-length-past-packet"))
        #expect(run.extractor.statistics.unread.total == 3)
    }

    @Test func hepOverTCPSplitAndBackToBack() throws {
        var run = ExtractorRun()
        let a = Carrier.hep3(bytes(sipMessage(callID: "t-1"))), b = Carrier.hep3(bytes(sipResponse(callID: "t-1")))
        let c = Carrier.hep3(bytes(sipMessage(callID: "t-2")))
        let segments: [[UInt8]] = [Array(a[..<40]), Array(a[40...]) + b, c]
        var seq: UInt32 = 1001
        var frames = [Build.frame(1, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 41000, dport: 9061, seq: 1000, flags: 0x02)))) ]
        for (i, s) in segments.enumerated() {
            frames.append(Build.frame(i + 2, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: 41000, dport: 9061, seq: seq, s)))))
            seq += UInt32(s.count)
        }
        run.process(frames)
        #expect(run.messages.map { "\($0.frame) \($0.message.callID ?? "?")" } == ["3 t-1", "3 t-1", "4 t-2"])
        #expect(run.messages.first?.frames == [2, 3])
        #expect(run.diagnostics.isEmpty)
    }

    static func tcpFrames(_ segments: [[UInt8]], from: Int = 1, sport: UInt16 = 50000, dport: UInt16 = 8089, isn: UInt32 = 7000) -> [CapturedFrame] {
        var seq = isn + 1
        var frames = [Build.frame(from, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: sport, dport: dport, seq: isn, flags: 0x02))))]
        for (i, s) in segments.enumerated() {
            frames.append(Build.frame(from + 1 + i, Build.ethernet(Build.ipv4(proto: 6, Build.tcp(sport: sport, dport: dport, seq: seq, s)))))
            seq += UInt32(s.count)
        }
        return frames
    }

    static let upgrade = bytes("GET / HTTP/1.1\r\nHost: 10.0.0.2:8089\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n")

    @Test func webSocketMaskedContinuationFrames() throws {
        var run = ExtractorRun()
        let reg = bytes(sipMessage(callID: "ws-1", body: "k=1\r\n"))
        let mask: [UInt8] = [0x11, 0x22, 0x33, 0x44]
        let first = Carrier.wsFrame(Array(reg[..<50]), fin: false, mask: mask)
        let ping = Carrier.wsFrame(Array("hi".utf8), opcode: 9, mask: mask)
        let rest = Carrier.wsFrame(Array(reg[50...]), opcode: 0, mask: mask)
        let second = Carrier.wsFrame(bytes(sipMessage(callID: "ws-2")), opcode: 2, mask: mask)
        run.process(Self.tcpFrames([Self.upgrade, first, ping + rest, second]))
        #expect(run.messages.map { "\($0.frame) \($0.message.callID ?? "?") \($0.transport)" } == ["4 ws-1 ws", "5 ws-2 ws"])
        #expect(run.messages.first?.frames == [3, 4])
        #expect(run.messages.first?.effectiveBody == Array("k=1\r\n".utf8))
        #expect(run.diagnostics.isEmpty)
    }

    /// Hostile: a frame that claims 2^63 - 1 bytes is reported and skipped; the next frame is read.
    @Test func webSocketFrameClaimingExabytes() throws {
        var run = ExtractorRun()
        let huge: [UInt8] = [0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4] + Array("garbage".utf8)
        let good = Carrier.wsFrame(bytes(sipMessage(callID: "ws-after")), mask: [9, 8, 7, 6])
        run.process(Self.tcpFrames([Self.upgrade, huge, good]))
        #expect(run.messages.map { $0.message.callID ?? "?" } == ["ws-after"])
        #expect(run.diagnostics.contains { $0.code == "websocket-frame-too-large" && $0.frame == 3 })
        #expect(run.extractor.bufferedStreamBytes == 0)
    }

    static func sctpFrame(_ n: Int, _ packet: [UInt8]) -> CapturedFrame {
        Build.frame(n, Build.ethernet(Build.ipv4(proto: 132, packet)))
    }

    @Test func sctpBundledFragmentedAndDuplicated() throws {
        var run = ExtractorRun()
        let a = bytes(sipMessage(callID: "s-1")), b = bytes(sipResponse(callID: "s-1")), c = bytes(sipMessage(callID: "s-2", body: "k=2\r\n"))
        let init_: [UInt8] = [1, 0] + be16(20) + [UInt8](repeating: 0, count: 16)
        run.process([
            Self.sctpFrame(1, Carrier.sctp(init_)),
            Self.sctpFrame(2, Carrier.sctp(Carrier.sctpData(tsn: 10, a) + Carrier.sctpData(tsn: 11, b))),
            Self.sctpFrame(3, Carrier.sctp(Carrier.sctpData(tsn: 11, b))),   // retransmitted: dropped
            Self.sctpFrame(4, Carrier.sctp(Carrier.sctpData(tsn: 13, Array(c[40...]), begin: false))),   // out of order
            Self.sctpFrame(5, Carrier.sctp(Carrier.sctpData(tsn: 12, Array(c[..<40]), end: false))),
        ])
        #expect(run.messages.map { "\($0.frame) \($0.message.callID ?? "?") \($0.transport)" } == ["2 s-1 sctp", "2 s-1 sctp", "5 s-2 sctp"])
        #expect(run.messages.last?.frames == [4, 5])
        #expect(run.messages.last?.effectiveBody == Array("k=2\r\n".utf8))
        #expect(run.extractor.statistics.unread.byReason["SCTP control chunks, no data"]?.frames == 1)
    }

    /// Hostile: chunk length 0 and a chunk length past the packet: diagnostics, then the next packet is read.
    @Test func sctpBadChunkLengths() throws {
        var run = ExtractorRun()
        let zero: [UInt8] = [0, 3, 0, 0] + [UInt8](repeating: 0x41, count: 12)
        let past: [UInt8] = [0, 3] + be16(4000) + be32(1) + [UInt8](repeating: 0x41, count: 12)
        run.process([
            Self.sctpFrame(1, Carrier.sctp(zero)), Self.sctpFrame(2, Carrier.sctp(past)),
            Self.sctpFrame(3, Carrier.sctp(Carrier.sctpData(tsn: 1, bytes(sipMessage(callID: "s-ok"))))),
        ])
        #expect(run.messages.map { "\($0.frame) \($0.message.callID ?? "?")" } == ["3 s-ok"])
        #expect(run.diagnostics.compactMap { $0.code == "sctp-chunk-length" ? $0.frame : nil } == [1, 2])
    }
}
