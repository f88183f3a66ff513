import Base
import Testing
@testable import Capture
import TestSupport

/// Drives a reassembler and writes its events as short strings: `data:abc@2`, `gap:6@3`, `gap:6@3!` (by capture), `closed`.
struct TCPHarness {
    var r: TCPReassembler
    var events: [(key: TCPFlowKey, event: String)] = []
    let client = Endpoint(address: IPAddress(hostA), port: 40000)
    let server = Endpoint(address: IPAddress(hostB), port: 5060)
    var up: TCPFlowKey { TCPFlowKey(source: client, destination: server) }
    var down: TCPFlowKey { up.reversed }

    init(_ r: TCPReassembler = TCPReassembler()) { self.r = r }

    func segment(_ from: Endpoint? = nil, to: Endpoint? = nil, seq: UInt32, ack: UInt32? = nil, _ text: String = "",
                 syn: Bool = false, fin: Bool = false, rst: Bool = false, frame: Int, length: Int? = nil) -> TCPSegment {
        let payload = Array(text.utf8)
        return TCPSegment(source: from ?? client, destination: to ?? server, sequence: seq, acknowledgment: ack ?? 0,
                          syn: syn, ack: ack != nil, fin: fin, rst: rst, payload: payload[...],
                          payloadLength: length ?? payload.count, frame: frame)
    }

    mutating func add(_ s: TCPSegment, at seconds: Int64 = 0) {
        var got: [(TCPFlowKey, String)] = []
        r.add(s, time: Timestamp(seconds: seconds, nanoseconds: 0)) { got.append(($0, Self.describe($1))) }
        events += got.map { (key: $0.0, event: $0.1) }
    }

    mutating func finish() {
        var got: [(TCPFlowKey, String)] = []
        r.finish { got.append(($0, Self.describe($1))) }
        events += got.map { (key: $0.0, event: $0.1) }
    }

    mutating func expire(at seconds: Int64) {
        var got: [(TCPFlowKey, String)] = []
        r.expire(now: Timestamp(seconds: seconds, nanoseconds: 0)) { got.append(($0, Self.describe($1))) }
        events += got.map { (key: $0.0, event: $0.1) }
    }

    static func describe(_ e: TCPStreamEvent) -> String {
        switch e {
        case .data(let b, let f): return "data:\(b.text)@\(f)"
        case .gap(let n, let f, let t): return "gap:\(n)@\(f)" + (t ? "!" : "")
        case .closed: return "closed"
        }
    }

    func of(_ key: TCPFlowKey) -> [String] { events.filter { $0.key == key }.map(\.event) }
    var upEvents: [String] { of(up) }
}

@Suite struct TCPReassemblerTests {
    @Test func inOrder() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1000, syn: true, frame: 1))
        h.add(h.segment(seq: 1001, "abc", frame: 2))
        h.add(h.segment(seq: 1004, "def", frame: 3))
        #expect(h.upEvents == ["data:abc@2", "data:def@3"])
        #expect(h.r.bytesWaiting == 0)
    }

    @Test func outOfOrder() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1000, syn: true, frame: 1))
        h.add(h.segment(seq: 1007, "ghi", frame: 2))
        h.add(h.segment(seq: 1004, "def", frame: 3))
        #expect(h.upEvents.isEmpty)
        #expect(h.r.bytesWaiting == 6)
        h.add(h.segment(seq: 1001, "abc", frame: 4))
        #expect(h.upEvents == ["data:abc@4", "data:def@3", "data:ghi@2"])
        #expect(h.r.bytesWaiting == 0)
    }

    @Test func exactRetransmission() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "abc", frame: 1))
        h.add(h.segment(seq: 1001, "abc", frame: 2))
        h.add(h.segment(seq: 1004, "def", frame: 3))
        h.add(h.segment(seq: 1004, "def", frame: 4))
        #expect(h.upEvents == ["data:abc@1", "data:def@3"])
    }

    @Test func retransmissionOfAWaitingSegmentIsHeldOnce() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1, "a", frame: 1))
        h.add(h.segment(seq: 5, "efg", frame: 2))
        h.add(h.segment(seq: 5, "efg", frame: 3))
        #expect(h.r.bytesWaiting == 3)
        h.add(h.segment(seq: 2, "bcd", frame: 4))
        #expect(h.upEvents == ["data:a@1", "data:bcd@4", "data:efg@2"])
    }

    @Test func partialOverlap() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "abcdef", frame: 1))
        h.add(h.segment(seq: 1004, "defghi", frame: 2))
        #expect(h.upEvents == ["data:abcdef@1", "data:ghi@2"])
    }

    @Test func synlessStart() {
        var h = TCPHarness()
        h.add(h.segment(seq: 77_777, "middle", frame: 5))
        h.add(h.segment(seq: 77_783, " end", frame: 6))
        #expect(h.upEvents == ["data:middle@5", "data: end@6"])
        #expect(h.r.streamCount == 1)
    }

    @Test func sequenceWraparound() {
        var h = TCPHarness()
        h.add(h.segment(seq: 0xFFFF_FFFD, syn: true, frame: 1))          // data starts at 2^32 - 2
        h.add(h.segment(seq: 2, "efgh", frame: 2))                        // after the wrap, early
        h.add(h.segment(seq: 0xFFFF_FFFE, "abcd", frame: 3))              // covers 2^32-2 ... 1
        h.add(h.segment(seq: 6, "ij", frame: 4))
        #expect(h.upEvents == ["data:abcd@3", "data:efgh@2", "data:ij@4"])
    }

    @Test func holeClosedByThePeersAck() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1000, syn: true, frame: 1))
        h.add(h.segment(seq: 1001, "abc", frame: 2))
        h.add(h.segment(seq: 1010, "XYZ", frame: 3))     // 1004..<1010 never captured
        #expect(h.upEvents == ["data:abc@2"])
        // The server acknowledges 1013: it has the hole's bytes, the capture does not.
        h.add(h.segment(h.server, to: h.client, seq: 5000, ack: 1013, frame: 4))
        #expect(h.upEvents == ["data:abc@2", "gap:6@3", "data:XYZ@3"])
    }

    @Test func peerAckBelowTheHoleDoesNotFlush() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "abc", frame: 1))
        h.add(h.segment(seq: 1010, "XYZ", frame: 2))
        h.add(h.segment(h.server, to: h.client, seq: 5000, ack: 1004, frame: 3))
        #expect(h.upEvents == ["data:abc@1"])
        h.add(h.segment(seq: 1004, "defghi", frame: 4))
        #expect(h.upEvents == ["data:abc@1", "data:defghi@4", "data:XYZ@2"])
    }

    @Test func holeAtFinish() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "abc", frame: 1))
        h.add(h.segment(seq: 1014, "tail", frame: 2))
        h.finish()
        #expect(h.upEvents == ["data:abc@1", "gap:10@2", "data:tail@2", "closed"])
        #expect(h.r.streamCount == 0)
        #expect(h.r.bytesWaiting == 0)
    }

    @Test func perStreamCapForcesAGap() {
        var h = TCPHarness(TCPReassembler(maxWaitingPerStream: 10))
        h.add(h.segment(seq: 1, "a", frame: 1))
        h.add(h.segment(seq: 10, "0123", frame: 2))       // hole 2..<10
        h.add(h.segment(seq: 14, "4567", frame: 3))
        #expect(h.upEvents == ["data:a@1"])
        h.add(h.segment(seq: 18, "89ab", frame: 4))       // 12 bytes waiting > 10
        #expect(h.upEvents == ["data:a@1", "gap:8@2", "data:0123@2", "data:4567@3", "data:89ab@4"])
        #expect(h.r.bytesWaiting == 0)
    }

    @Test func totalCapForcesAGapOnTheLargestStream() {
        var h = TCPHarness(TCPReassembler(maxWaitingTotal: 10))
        let other = Endpoint(address: IPAddress(hostA), port: 40001)
        let otherKey = TCPFlowKey(source: other, destination: h.server)
        h.add(h.segment(seq: 1, "a", frame: 1))
        h.add(h.segment(seq: 5, "xyzw", frame: 2))                       // up waits 4
        h.add(h.segment(other, seq: 1, "b", frame: 3))
        h.add(h.segment(other, seq: 3, "12345678", frame: 4))            // other waits 8: 12 > 10
        #expect(h.of(otherKey) == ["data:b@3", "gap:1@4", "data:12345678@4"])
        #expect(h.upEvents == ["data:a@1"])
        #expect(h.r.bytesWaiting == 4)
    }

    @Test func finCloses() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1000, syn: true, frame: 1))
        h.add(h.segment(seq: 1001, "bye", fin: true, frame: 2))
        #expect(h.upEvents == ["data:bye@2", "closed"])
        #expect(h.r.streamCount == 0)
    }

    @Test func finWaitsForAHoleBeforeIt() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "ab", frame: 1))
        h.add(h.segment(seq: 1005, "ef", fin: true, frame: 2))
        #expect(h.upEvents == ["data:ab@1"])
        h.add(h.segment(seq: 1003, "cd", frame: 3))
        #expect(h.upEvents == ["data:ab@1", "data:cd@3", "data:ef@2", "closed"])
    }

    @Test func rstCloses() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "abc", frame: 1))
        h.add(h.segment(seq: 1004, rst: true, frame: 2))
        #expect(h.upEvents == ["data:abc@1", "closed"])
        #expect(h.r.streamCount == 0)
        // An RST for a direction never seen creates nothing.
        h.add(h.segment(h.server, to: h.client, seq: 9, rst: true, frame: 3))
        #expect(h.r.streamCount == 0)
        #expect(h.of(h.down).isEmpty)
    }

    @Test func ignoreStopsBuffering() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1, "a", frame: 1))
        h.add(h.segment(seq: 10, "waiting", frame: 2))
        #expect(h.r.bytesWaiting == 7)
        h.r.ignore(h.up)
        #expect(h.r.bytesWaiting == 0)
        h.add(h.segment(seq: 2, "bcdefghi", frame: 3))
        h.add(h.segment(seq: 100, "later", frame: 4))
        #expect(h.r.bytesWaiting == 0)
        h.finish()
        #expect(h.upEvents == ["data:a@1"])
    }

    @Test func captureTruncatedSegment() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1001, "head", frame: 1, length: 20))   // 16 bytes cut by the snap length
        h.add(h.segment(seq: 1021, "next", frame: 2))
        #expect(h.upEvents == ["data:head@1", "gap:16@1!", "data:next@2"])
    }

    @Test func idleExpiry() {
        var h = TCPHarness(TCPReassembler(idleTimeout: 300))
        h.add(h.segment(seq: 1, "a", frame: 1), at: 1000)
        h.add(h.segment(h.server, to: h.client, seq: 1, "b", frame: 2), at: 1200)
        h.expire(at: 1299)
        #expect(h.r.streamCount == 2)
        h.expire(at: 1301)
        #expect(h.upEvents == ["data:a@1", "closed"])
        #expect(h.of(h.down) == ["data:b@2"])
        #expect(h.r.streamCount == 1)
    }

    @Test func maxStreamsEvictsTheLeastRecent() {
        var h = TCPHarness(TCPReassembler(maxStreams: 2))
        let ports: [UInt16] = [40001, 40002, 40003]
        for (i, p) in ports.enumerated() {
            let c = Endpoint(address: IPAddress(hostA), port: p)
            h.add(h.segment(c, seq: 1, "s\(i)", frame: i + 1), at: Int64(i))
        }
        let keys = ports.map { TCPFlowKey(source: Endpoint(address: IPAddress(hostA), port: $0), destination: h.server) }
        #expect(h.r.streamCount == 2)
        #expect(h.of(keys[0]) == ["data:s0@1", "closed"])
        #expect(h.of(keys[1]) == ["data:s1@2"])
        #expect(h.of(keys[2]) == ["data:s2@3"])
    }

    @Test func newSynOnTheSamePortsEndsTheOldStream() {
        var h = TCPHarness()
        h.add(h.segment(seq: 1000, syn: true, frame: 1))
        h.add(h.segment(seq: 1001, "old", frame: 2))
        h.add(h.segment(seq: 9000, syn: true, frame: 3))
        h.add(h.segment(seq: 9001, "new", frame: 4))
        #expect(h.upEvents == ["data:old@2", "closed", "data:new@4"])
    }
}
