#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Capture

// Small byte builders for the layer tests: headers are written field by field from the RFCs,
// checksums left zero (nothing here verifies them).

func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
func le16(_ v: UInt16) -> [UInt8] { be16(v).reversed() }
func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }
func u32(_ v: UInt32, bigEndian: Bool) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
func u16(_ v: UInt16, bigEndian: Bool) -> [UInt8] { bigEndian ? be16(v) : le16(v) }
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

let hostA: [UInt8] = [10, 0, 0, 1]
let hostB: [UInt8] = [10, 0, 0, 2]
let host6A: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
let host6B: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [2]

enum Build {
    static func ethernet(type: UInt16, tags: [(tpid: UInt16, vid: UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var b: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        for t in tags { b += be16(t.tpid) + be16(t.vid) }
        return b + be16(type) + payload
    }

    /// IPv4 header (+ options, a multiple of 4 bytes) and payload. `totalLength` overrides the real one.
    static func ipv4(src: [UInt8] = hostA, dst: [UInt8] = hostB, proto: UInt8, id: UInt16 = 0x1234,
                     moreFragments: Bool = false, offset: Int = 0, options: [UInt8] = [],
                     totalLength: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        let ihl = (20 + options.count) / 4
        let total = totalLength ?? (20 + options.count + payload.count)
        let flagsOffset = UInt16((moreFragments ? 0x2000 : 0) | (offset / 8))
        var b: [UInt8] = [UInt8(0x40 | ihl), 0]
        b += be16(UInt16(total)) + be16(id) + be16(flagsOffset)
        b += [64, proto, 0, 0] + src + dst + options
        return b + payload
    }

    /// IPv6 fixed header; `next` is the first next-header value, `payload` includes any extension headers.
    static func ipv6(src: [UInt8] = host6A, dst: [UInt8] = host6B, next: UInt8, payloadLength: Int? = nil,
                     _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + be16(UInt16(payloadLength ?? payload.count)) + [next, 64] + src + dst + payload
    }

    /// An 8-byte-multiple extension header (hop-by-hop, destination options): next, len, padding.
    static func ipv6Options(next: UInt8, units: Int = 0) -> [UInt8] {
        [next, UInt8(units)] + [UInt8](repeating: 0, count: 6 + units * 8)
    }

    static func ipv6Fragment(next: UInt8, offset: Int, more: Bool, id: UInt32) -> [UInt8] {
        [next, 0] + be16(UInt16(offset) & 0xfff8 | (more ? 1 : 0)) + be32(id)
    }

    static func udp(sport: UInt16 = 5060, dport: UInt16 = 5060, length: Int? = nil, _ payload: [UInt8]) -> [UInt8] {
        be16(sport) + be16(dport) + be16(UInt16(length ?? 8 + payload.count)) + [0, 0] + payload
    }

    static func tcp(sport: UInt16 = 40000, dport: UInt16 = 5060, seq: UInt32, ack: UInt32 = 0,
                    flags: UInt8 = 0x18, _ payload: [UInt8] = []) -> [UInt8] {
        be16(sport) + be16(dport) + be32(seq) + be32(ack) + [0x50, flags] + be16(65535) + [0, 0, 0, 0] + payload
    }
}

/// One classic pcap record.
struct PcapRecord {
    var seconds: UInt32
    var fraction: UInt32
    var data: [UInt8]
    var originalLength: Int?
}

enum CaptureFile {
    static func pcap(bigEndian: Bool = false, nanoseconds: Bool = false, linkType: UInt32 = 1,
                     snapLength: UInt32 = 65535, _ records: [PcapRecord]) -> [UInt8] {
        let magic: UInt32 = nanoseconds ? 0xa1b2_3c4d : 0xa1b2_c3d4
        var b = u32(magic, bigEndian: bigEndian) + u16(2, bigEndian: bigEndian) + u16(4, bigEndian: bigEndian)
        b += u32(0, bigEndian: bigEndian) + u32(0, bigEndian: bigEndian)
        b += u32(snapLength, bigEndian: bigEndian) + u32(linkType, bigEndian: bigEndian)
        for r in records { b += pcapRecord(r, bigEndian: bigEndian) }
        return b
    }

    static func pcapRecord(_ r: PcapRecord, bigEndian: Bool = false, claimedLength: UInt32? = nil) -> [UInt8] {
        var b = u32(r.seconds, bigEndian: bigEndian) + u32(r.fraction, bigEndian: bigEndian)
        b += u32(claimedLength ?? UInt32(r.data.count), bigEndian: bigEndian)
        b += u32(UInt32(r.originalLength ?? r.data.count), bigEndian: bigEndian)
        return b + r.data
    }

    private static func block(_ type: UInt32, _ body: [UInt8], bigEndian: Bool) -> [UInt8] {
        var padded = body
        while padded.count % 4 != 0 { padded.append(0) }
        let total = UInt32(12 + padded.count)
        return u32(type, bigEndian: bigEndian) + u32(total, bigEndian: bigEndian) + padded + u32(total, bigEndian: bigEndian)
    }

    static func sectionHeader(bigEndian: Bool = false) -> [UInt8] {
        block(0x0A0D_0D0A, u32(0x1A2B_3C4D, bigEndian: bigEndian) + u16(1, bigEndian: bigEndian) + u16(0, bigEndian: bigEndian)
              + [UInt8](repeating: 0xff, count: 8), bigEndian: bigEndian)
    }

    /// Interface Description Block; `tsresol` adds the if_tsresol option.
    static func interface(linkType: UInt16, snapLength: UInt32 = 0, tsresol: UInt8? = nil, bigEndian: Bool = false) -> [UInt8] {
        var body = u16(linkType, bigEndian: bigEndian) + [0, 0] + u32(snapLength, bigEndian: bigEndian)
        if let r = tsresol {
            body += u16(9, bigEndian: bigEndian) + u16(1, bigEndian: bigEndian) + [r, 0, 0, 0]
            body += [0, 0, 0, 0]
        }
        return block(1, body, bigEndian: bigEndian)
    }

    /// Enhanced Packet Block with a 64-bit timestamp in the interface's units.
    static func packet(interface: UInt32, units: UInt64, data: [UInt8], originalLength: Int? = nil, bigEndian: Bool = false) -> [UInt8] {
        var body = u32(interface, bigEndian: bigEndian)
        body += u32(UInt32(units >> 32), bigEndian: bigEndian) + u32(UInt32(units & 0xffff_ffff), bigEndian: bigEndian)
        body += u32(UInt32(data.count), bigEndian: bigEndian) + u32(UInt32(originalLength ?? data.count), bigEndian: bigEndian)
        return block(6, body + data, bigEndian: bigEndian)
    }
}

/// A fresh temporary directory per test, removed when the value is released.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "capture-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ data: [UInt8]) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(data))
        return p
    }
}

/// Every frame the reader gives, then its problems.
func readAll(_ path: String) throws -> (frames: [CapturedFrame], problems: [String], reader: CaptureReader) {
    let reader = try CaptureReader(path: path)
    var frames: [CapturedFrame] = []
    while let f = reader.next() { frames.append(f) }
    return (frames, reader.problems.map(\.code), reader)
}

extension NetworkPayload.Kind {
    var name: String {
        switch self {
        case .ipv4: return "ipv4"
        case .ipv6: return "ipv6"
        case .other(let t): return "other(\(t))"
        }
    }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
extension ArraySlice where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}
