import Base
import Foundation
import Testing
@testable import Capture
import TestSupport

/// Issue 16's capture-layer findings: timestamps that must not trap, record lengths checked against
/// the file before anything is allocated, and out-of-order TCP segments and IP fragments in
/// n log n time. Time is judged by scaling (4× the input must not take 10× the time), never by
/// absolute seconds, so a loaded CI machine does not make these fail.
@Suite struct HostileLimitsTests {
    let dir = TempDir()

    // MARK: - 1. Timestamps and if_tsoffset

    @Test func timestampArithmeticNeverTraps() {
        let low = Timestamp(seconds: .min, nanoseconds: 0)
        let high = Timestamp(seconds: .max, nanoseconds: 999_999_999)
        #expect(high.seconds(since: low).isFinite)
        #expect(high.seconds(since: low) > 1e19)
        #expect(low.seconds(since: high) < -1e19)
        #expect(Timestamp(seconds: 10, nanoseconds: 5).seconds(since: Timestamp(seconds: 4, nanoseconds: 0)) == 6.000000005)
        #expect(high.adding(seconds: 1e30).seconds == .max)
        #expect(low.adding(seconds: -1e30).seconds == .min)
        #expect(high.adding(seconds: .infinity).seconds == .max)
        #expect(high.adding(seconds: .nan) == high)
        #expect(high.adding(seconds: 0.5).seconds == .max)
        #expect(Timestamp(seconds: 1, nanoseconds: 600_000_000).adding(seconds: 1.5) == Timestamp(seconds: 3, nanoseconds: 100_000_000))
    }

    /// tshark shows +100 for an offset of +100: it is one 64-bit integer, not two 32-bit words.
    @Test(arguments: [false, true])
    func tsoffsetIsOneSigned64BitInteger(bigEndian: Bool) throws {
        var file = CaptureFile.sectionHeader(bigEndian: bigEndian)
        file += CaptureFile.interface(linkType: 1, tsoffset: 100, bigEndian: bigEndian)
        file += CaptureFile.interface(linkType: 1, tsoffset: -100, bigEndian: bigEndian)
        file += CaptureFile.packet(interface: 0, units: 1_700_000_000_000_000, data: [0xaa], bigEndian: bigEndian)
        file += CaptureFile.packet(interface: 1, units: 1_700_000_000_000_000, data: [0xbb], bigEndian: bigEndian)
        let (frames, problems, _) = try readAll(dir.write("off.pcapng", file))
        #expect(problems.isEmpty)
        #expect(frames.map(\.timestamp.seconds) == [1_700_000_100, 1_699_999_900])
    }

    /// The crash: two interfaces with offsets at the ends of the 64-bit range.
    @Test func tsoffsetAtTheEndsOfTheRangeIsClamped() throws {
        var file = CaptureFile.sectionHeader()
        file += CaptureFile.interface(linkType: 1, tsoffset: .min, bigEndian: false)
        file += CaptureFile.interface(linkType: 1, tsoffset: .max, bigEndian: false)
        file += CaptureFile.packet(interface: 0, units: 0, data: [0xaa])
        file += CaptureFile.packet(interface: 1, units: UInt64.max, data: [0xbb])
        let (frames, problems, _) = try readAll(dir.write("ends.pcapng", file))
        #expect(problems.isEmpty)
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { abs($0.timestamp.seconds) <= Timestamp.saneSeconds })
        let span = frames[1].timestamp.seconds(since: frames[0].timestamp)
        // In milliseconds it still fits an Int, as every latency printed does.
        #expect(span.isFinite && span * 1000 < Double(Int.max))
    }

    // MARK: - 2. Record lengths

    /// A pcap header with snap length 0x7ffffffe no longer raises the per-record limit past libpcap's
    /// 262144: a 704-byte file claiming a 2 GiB record ends as damage, with the frame before it read.
    @Test func hugeSnapLengthDoesNotRaiseTheRecordLimit() throws {
        var file = CaptureFile.pcap(snapLength: 0x7fff_fffe, [PcapRecord(seconds: 1, fraction: 0, data: [1, 2, 3])])
        file += CaptureFile.pcapRecord(PcapRecord(seconds: 2, fraction: 0, data: [UInt8](repeating: 0, count: 640)),
                                       claimedLength: 0x7fff_fff0)
        #expect(file.count < 1024)
        let (frames, problems, _) = try readAll(dir.write("snap.pcap", file))
        #expect(frames.map(\.bytes) == [[1, 2, 3]])
        #expect(problems == ["file-garbage"])
    }

    /// Within libpcap's limit but beyond what the file holds: truncation, decided before reading.
    @Test func recordLongerThanTheFileIsTruncation() throws {
        var file = CaptureFile.pcap([PcapRecord(seconds: 1, fraction: 0, data: [1, 2, 3])])
        file += CaptureFile.pcapRecord(PcapRecord(seconds: 2, fraction: 0, data: [9, 9]), claimedLength: 200_000)
        let (frames, problems, reader) = try readAll(dir.write("short.pcap", file))
        #expect(frames.count == 1)
        #expect(problems == ["file-truncated"])
        #expect(reader.problems.first?.message.contains("2 of 200000") == true)
    }

    @Test func pcapngBlockLongerThanTheFileIsTruncation() throws {
        var file = CaptureFile.sectionHeader() + CaptureFile.interface(linkType: 1)
        file += CaptureFile.packet(interface: 0, units: 1, data: [0xaa])
        file += le32(6) + le32(8 << 20) + [UInt8](repeating: 0, count: 32)
        let (frames, problems, _) = try readAll(dir.write("blk.pcapng", file))
        #expect(frames.count == 1)
        #expect(problems == ["file-truncated"])
    }

    // MARK: - 4. n log n reassembly

    static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `count` 4-byte segments, last first: every byte must come out in order, once.
    static func reversedSegments(_ count: Int) -> Double {
        let client = Endpoint(address: IPAddress(hostA), port: 40000)
        let server = Endpoint(address: IPAddress(hostB), port: 5060)
        var r = TCPReassembler(maxWaitingPerStream: 1 << 30, maxWaitingTotal: 1 << 30)
        var delivered: [UInt8] = []
        let emit: (TCPFlowKey, TCPStreamEvent) -> Void = { _, e in if case .data(let b, _) = e { delivered += b } }
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        let elapsed = seconds {
            r.add(TCPSegment(source: client, destination: server, sequence: 999, acknowledgment: 0, syn: true, ack: false,
                             fin: false, rst: false, payload: [], payloadLength: 0, frame: 1), time: time, emit: emit)
            for i in (0..<count).reversed() {
                let piece: [UInt8] = [UInt8(i & 0xff), UInt8(i >> 8 & 0xff), UInt8(i >> 16 & 0xff), 0x2e]
                r.add(TCPSegment(source: client, destination: server, sequence: 1000 &+ UInt32(4 * i), acknowledgment: 0,
                                 syn: false, ack: false, fin: false, rst: false, payload: piece[...], payloadLength: 4,
                                 frame: count - i + 1), time: time, emit: emit)
            }
        }
        #expect(delivered.count == 4 * count)
        #expect(delivered.count >= 8 && delivered[4] == 1 && delivered[0] == 0)
        #expect(r.bytesWaiting == 0)
        return elapsed
    }

    @Test func reversedTCPSegmentsScaleNLogN() {
        _ = Self.reversedSegments(1000)  // warm up
        let small = Self.reversedSegments(10_000)
        let large = Self.reversedSegments(40_000)
        // Quadratic would be 16×; n log n is a little over 4×.
        #expect(large < small * 10, "10 000 segments: \(small) s, 40 000: \(large) s")
    }

    /// One datagram of `count` 8-byte fragments, last first, rebuilt exactly.
    static func reversedFragments(_ count: Int, datagrams: Int) -> Double {
        var d = IPDefragmenter()
        let payload = (0..<(8 * count)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var rebuilt = 0
        let elapsed = seconds {
            for id in 0..<datagrams {
                let key = IPFragment.Key(source: IPAddress(hostA), destination: IPAddress(hostB), identification: UInt32(id), transport: 17)
                for i in (0..<count).reversed() {
                    let f = IPFragment(key: key, offset: 8 * i, moreFragments: i < count - 1,
                                       bytes: payload[(8 * i)..<(8 * i + 8)], isTruncatedByCapture: false)
                    if let whole = d.add(f, frame: i + 1, time: Timestamp(seconds: 0, nanoseconds: 0), ipv6: false) {
                        #expect(Array(whole.payload) == payload)
                        rebuilt += 1
                    }
                }
            }
        }
        #expect(rebuilt == datagrams)
        #expect(d.bytesPending == 0 && d.pendingCount == 0)
        return elapsed
    }

    @Test func reversedIPFragmentsScaleLinearly() {
        _ = Self.reversedFragments(500, datagrams: 1)
        let small = Self.reversedFragments(2000, datagrams: 2)
        let large = Self.reversedFragments(8000, datagrams: 2)
        #expect(large < small * 10, "2 000 fragments: \(small) s, 8 000: \(large) s")
    }

    /// Overlapping fragments past the bitmap threshold still keep the bytes captured first and say so.
    @Test func manyOverlappingFragmentsKeepTheFirstBytes() {
        var d = IPDefragmenter()
        let key = IPFragment.Key(source: IPAddress(hostA), destination: IPAddress(hostB), identification: 9, transport: 17)
        let time = Timestamp(seconds: 0, nanoseconds: 0)
        var frame = 0
        func add(_ offset: Int, _ byte: UInt8, _ length: Int, more: Bool = true) -> IPDatagram? {
            frame += 1
            let f = IPFragment(key: key, offset: offset, moreFragments: more, bytes: [UInt8](repeating: byte, count: length)[...],
                               isTruncatedByCapture: false)
            return d.add(f, frame: frame, time: time, ipv6: false)
        }
        for i in 0..<40 where i != 3 { #expect(add(8 * i, 0x41, 8) == nil) }       // a hole at 24..<32
        #expect(add(16, 0x42, 16) == nil)                                          // overlaps 16..<24, fills the hole
        let whole = add(8 * 40, 0x43, 8, more: false)
        #expect(whole?.payload.count == 328)
        #expect(whole.map { Array($0.payload[16..<24]) } == [UInt8](repeating: 0x41, count: 8))
        #expect(whole.map { Array($0.payload[24..<32]) } == [UInt8](repeating: 0x42, count: 8))
        #expect(d.takeDiagnostics().map(\.code) == ["ip-fragment-overlap"])
    }
}
