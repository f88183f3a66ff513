import Foundation
import TestSupport

/// The shapes of issue 16 (the same as scripts/bench/hostile-captures.py writes), each followed by
/// the normal MESSAGE and 200 that must still be read.
extension HostileCapture {
    /// `streams` TCP connections, each a MESSAGE announcing `bodyBytes` of body and sending all but
    /// the last 48 576 bytes of it (a partial 1 MB body each with the defaults).
    static func partialBodies(streams: Int = 40, bodyBytes: Int = 1 << 20) -> Data {
        var c = HostileCapture()
        let body = [UInt8](repeating: 0x62, count: bodyBytes - 48_576)
        for s in 0..<streams {
            let head = message("partial-\(s)", body: "", contentLength: String(bodyBytes), transport: "TCP")
            c.tcpStream([10, 7, UInt8(s >> 8), UInt8(s & 0xff)], sport: 30000, head + body)
        }
        c.normalTail()
        return c.data
    }

    /// One stream whose `count` 4-byte segments come last first (then its SYN): all of them wait
    /// out of order until the first arrives.
    static func reversedSegments(_ count: Int) -> Data {
        var c = HostileCapture()
        let src: [UInt8] = [192, 0, 2, 50]
        c.tcp(src, sport: 40100, seq: 999, flags: 0x02)
        let text = Array("abcd".utf8)
        for i in (0..<count).reversed() { c.tcp(src, sport: 40100, seq: 1000 &+ UInt32(4 * i), text[...]) }
        c.normalTail()
        return c.data
    }

    /// `datagrams` UDP datagrams, each in `count` 8-byte fragments sent last first.
    static func reversedFragments(_ count: Int, datagrams: Int) -> Data {
        var c = HostileCapture()
        var udp = [UInt8](repeating: 0x78, count: 8 * count)
        let length = UInt16(truncatingIfNeeded: udp.count)
        udp[0...7] = [0x13, 0xc4, 0x13, 0xc4, UInt8(length >> 8), UInt8(length & 0xff), 0, 0][...]
        for d in 0..<datagrams {
            for i in (0..<count).reversed() {
                c.ipv4([192, 0, 2, 60], phone, proto: 17, Array(udp[(8 * i)..<(8 * i + 8)]), id: UInt16(d), offset: 8 * i, more: i < count - 1)
            }
        }
        c.normalTail()
        return c.data
    }

    /// pcap with snap length 0x7ffffffe: the normal MESSAGE and 200 first, then a record claiming a
    /// 2 GiB caplen in a file of a few hundred bytes (nothing after it can be read: it is garbage).
    static func hugeCaplen() -> Data {
        var c = HostileCapture(snapLength: 0x7fff_fffe)
        c.normalTail()
        c.data += CaptureFile.pcapRecord(PcapRecord(seconds: 1_700_000_100, fraction: 0, data: [UInt8](repeating: 0, count: 64),
                                                    originalLength: 0x7fff_fff0), claimedLength: 0x7fff_fff0)
        return c.data
    }

    /// pcapng: interface 0 with if_tsoffset = Int64.min, interface 1 with Int64.max, a MESSAGE on
    /// one and its 200 on the other (the crash), then the normal pair on interface 2.
    static func extremeTimestampOffsets() -> Data {
        var pcap = HostileCapture()
        pcap.udp(pbx, phone, message("tsoffset"))
        pcap.udp(phone, pbx, ok("tsoffset"))
        pcap.normalTail()
        // Reuse the frames HostileCapture built: each pcap record is 16 bytes of header + bytes.
        var frames: [[UInt8]] = []
        var at = 24
        let bytes = [UInt8](pcap.data)
        while at + 16 <= bytes.count {
            let n = Int(bytes[at + 8]) | Int(bytes[at + 9]) << 8 | Int(bytes[at + 10]) << 16
            frames.append(Array(bytes[(at + 16)..<(at + 16 + n)]))
            at += 16 + n
        }
        // Ethernet, snap length 262144, if_tsoffset.
        var out = CaptureFile.sectionHeader()
        for offset in [Int64.min, .max, 0] { out += CaptureFile.interface(linkType: 1, snapLength: 262_144, tsoffset: offset) }
        for (i, f) in frames.enumerated() {
            let iface = UInt32(i < 2 ? i : 2)
            let units: UInt64 = i < 2 ? UInt64(i) * 0xffff_ffff_ffff : 1_700_000_000_000_000 + UInt64(i)
            out += CaptureFile.packet(interface: iface, units: units, data: f)
        }
        return Data(out)
    }
}
