import Base
import Testing
@testable import Capture
import TestSupport

/// Hostile shapes the issue names, fed to the capture layer directly: each must end with a
/// diagnostic (or a gap event), keep its buffered-bytes counters under their bounds at every step,
/// and leave the layer working for what comes after.
@Suite struct HostileCaptureInputTests {
    let client = Endpoint(address: IPAddress(hostA), port: 40000)
    let server = Endpoint(address: IPAddress(hostB), port: 5060)

    func segment(_ seq: UInt32, _ payload: ArraySlice<UInt8>, from: Endpoint? = nil, syn: Bool = false, frame: Int) -> TCPSegment {
        TCPSegment(source: from ?? client, destination: server, sequence: seq, acknowledgment: 0, syn: syn, ack: false,
                   fin: false, rst: false, payload: payload, payloadLength: payload.count, frame: frame)
    }

    /// The first 1000 bytes never came, then 8 MB: the reassembler gives the hole up once the stream's
    /// waiting bound is reached (a gap event of exactly the missing bytes), delivers every byte after it,
    /// and never holds more than the bound meanwhile.
    @Test func holeAtTheStartThenMegabytes() {
        var r = TCPReassembler()
        var delivered = 0, gaps: [Int] = [], maxWaiting = 0
        let emit: (TCPFlowKey, TCPStreamEvent) -> Void = { _, event in
            switch event {
            case .data(let b, _): delivered += b.count
            case .gap(let missing, _, _): gaps.append(missing)
            case .closed: break
            }
        }
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        r.add(segment(1000, [], syn: true, frame: 1), time: time, emit: emit)
        let piece = [UInt8](repeating: 0x61, count: 1400)
        var seq: UInt32 = 1000 + 1 + 1000
        var sent = 0, frame = 2
        while sent < 8 << 20 {
            r.add(segment(seq, piece[...], frame: frame), time: time, emit: emit)
            maxWaiting = max(maxWaiting, r.bytesWaiting)
            seq &+= 1400
            sent += 1400
            frame += 1
        }
        r.finish(emit: emit)
        #expect(gaps == [1000])
        #expect(delivered == sent)
        #expect(maxWaiting <= r.maxWaitingPerStream + piece.count)
        #expect(r.bytesWaiting == 0)
        #expect(r.streamCount == 0)
    }

    /// 20 000 datagrams whose first fragment came and the rest never did: at most `maxDatagrams` wait at
    /// once, held bytes stay under `maxBytesHeld`, each datagram is reported exactly once, and a whole
    /// datagram still rebuilds afterwards.
    @Test func fragmentsThatNeverComplete() {
        var d = IPDefragmenter()
        let piece = [UInt8](repeating: 0x78, count: 1480)
        let time = Timestamp(seconds: 1, nanoseconds: 0)
        var maxPending = 0, maxBytes = 0
        let count = 20_000
        for i in 0..<count {
            let key = IPFragment.Key(source: IPAddress(hostA), destination: IPAddress(hostB),
                                     identification: UInt32(i), transport: 17)
            let f = IPFragment(key: key, offset: 0, moreFragments: true, bytes: piece[...], isTruncatedByCapture: false)
            #expect(d.add(f, frame: i + 1, time: time, ipv6: false) == nil)
            maxPending = max(maxPending, d.pendingCount)
            maxBytes = max(maxBytes, d.bytesPending)
        }
        var reported = d.takeDiagnostics()
        // A whole datagram in two fragments still comes out.
        let key = IPFragment.Key(source: IPAddress(hostB), destination: IPAddress(hostA), identification: 7, transport: 17)
        let first = IPFragment(key: key, offset: 0, moreFragments: true, bytes: piece[..<8], isTruncatedByCapture: false)
        let last = IPFragment(key: key, offset: 8, moreFragments: false, bytes: piece[..<4], isTruncatedByCapture: false)
        #expect(d.add(first, frame: count + 1, time: time, ipv6: false) == nil)
        #expect(d.add(last, frame: count + 2, time: time, ipv6: false)?.payload.count == 12)
        d.finish()
        reported += d.takeDiagnostics()
        #expect(maxPending <= d.maxDatagrams)
        #expect(maxBytes <= d.maxBytesHeld)
        #expect(reported.count == count)
        #expect(reported.allSatisfy { $0.code == "ip-fragment-incomplete" })
        #expect(Set(reported.compactMap(\.frame)).count == count)
        #expect(d.pendingCount == 0 && d.bytesPending == 0)
    }

    /// 100 000 connections at once, each with one partial message: the reassembler keeps at most
    /// `maxStreams` directions (the oldest closed, a batch at a time, so a flood stays linear), and every
    /// connection is closed exactly once by the end.
    @Test func hundredThousandConcurrentConnections() {
        var r = TCPReassembler()
        var closed = 0, data = 0, maxStreams = 0
        let emit: (TCPFlowKey, TCPStreamEvent) -> Void = { _, event in
            switch event {
            case .data: data += 1
            case .closed: closed += 1
            case .gap: break
            }
        }
        let partial = Array("MESSAGE sip:44@192.0.2.44 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK-p\r\n".utf8)
        let count = 100_000
        for i in 0..<count {
            let from = Endpoint(address: IPAddress([10, 9, UInt8(i >> 8 & 0xff), UInt8(i & 0xff)]), port: UInt16(20000 + i >> 16))
            r.add(segment(77, partial[...], from: from, frame: i + 1), time: Timestamp(seconds: Int64(i / 1000), nanoseconds: 0), emit: emit)
            maxStreams = max(maxStreams, r.streamCount)
        }
        r.finish(emit: emit)
        #expect(maxStreams <= r.maxStreams)
        #expect(data == count)
        #expect(closed == count)
        #expect(r.streamCount == 0 && r.bytesWaiting == 0)
    }

    /// Fuzz finding: a segment exactly 2^31 bytes from where the stream is (sequence arithmetic cannot
    /// tell behind from ahead) used to trap on a negative drop count. It is dropped; the stream goes on.
    @Test func segmentExactlyTwoToTheThirtyOneAway() {
        var r = TCPReassembler()
        var data: [String] = []
        let emit: (TCPFlowKey, TCPStreamEvent) -> Void = { _, event in
            if case .data(let b, _) = event { data.append(String(decoding: b, as: UTF8.self)) }
        }
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        r.add(segment(1000, Array("abc".utf8)[...], frame: 1), time: time, emit: emit)
        r.add(segment(1003 &+ 0x8000_0000, Array("zzz".utf8)[...], frame: 2), time: time, emit: emit)
        r.add(segment(1003, Array("def".utf8)[...], frame: 3), time: time, emit: emit)
        r.finish(emit: emit)
        #expect(data.joined() == "abcdef")
    }
}
