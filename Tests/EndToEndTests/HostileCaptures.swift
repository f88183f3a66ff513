import Foundation
import TestSupport

/// Writes the hostile captures the issue names (the same shapes as scripts/bench/hostile-captures.py),
/// each followed by a normal MESSAGE for key 7 of phone 44 and its 200 over UDP, whose analysis
/// must come out unchanged.
struct HostileCapture {
    var data = Data()
    private var time = 0.0
    private var ident: UInt16 = 0

    static let pbx: [UInt8] = [192, 0, 2, 1]
    static let phone: [UInt8] = [192, 0, 2, 44]

    init(snapLength: UInt32 = 262_144) {
        data += CaptureFile.pcapHeader(snapLength: snapLength)
    }

    mutating func frame(_ bytes: [UInt8]) {
        time += 0.0001
        let sec = UInt32(time)
        data += CaptureFile.pcapRecord(PcapRecord(seconds: 1_700_000_000 + sec, fraction: UInt32((time - Double(sec)) * 1e6), data: bytes))
    }

    mutating func ipv4(_ src: [UInt8], _ dst: [UInt8], proto: UInt8, _ payload: [UInt8],
                       id: UInt16? = nil, offset: Int = 0, more: Bool = false) {
        ident &+= 1
        let total = 20 + payload.count
        let flags = UInt16((more ? 0x2000 : 0) | offset / 8)
        var ip: [UInt8] = [0x45, 0] + be16(UInt16(total)) + be16(id ?? ident) + be16(flags) + [64, proto, 0, 0]
        ip += src + dst
        frame([2, 0, 0, 0, 0, 44, 2, 0, 0, 0, 0, 1, 0x08, 0x00] + ip + payload)
    }

    mutating func udp(_ src: [UInt8], _ dst: [UInt8], _ payload: [UInt8]) {
        ipv4(src, dst, proto: 17, be16(5060) + be16(5060) + be16(UInt16(8 + payload.count)) + [0, 0] + payload)
    }

    mutating func tcp(_ src: [UInt8], sport: UInt16, seq: UInt32, flags: UInt8 = 0x18, _ payload: ArraySlice<UInt8> = []) {
        let header = be16(sport) + be16(5060) + be32(seq) + be32(0) + [0x50, flags] + be16(65535) + [0, 0, 0, 0]
        ipv4(src, Self.phone, proto: 6, header + payload)
    }

    /// A stream of `bytes` from `src:sport`, SYN first, in 1400-byte segments.
    mutating func tcpStream(_ src: [UInt8], sport: UInt16, _ bytes: [UInt8], skipFirst: Int = 0) {
        tcp(src, sport: sport, seq: 1000, flags: 0x02)
        var seq: UInt32 = 1001 &+ UInt32(skipFirst)
        var i = skipFirst
        while i < bytes.count {
            let piece = bytes[i..<min(bytes.count, i + 1400)]
            tcp(src, sport: sport, seq: seq, piece)
            seq &+= UInt32(piece.count)
            i += 1400
        }
    }

    static func message(_ callID: String, body: String = "k=7\r\nc=on\r\nl=Normal\r\n", contentLength: String? = nil,
                        transport: String = "UDP", extra: String = "") -> [UInt8] {
        Array(("MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\nVia: SIP/2.0/\(transport) 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@pbx.example>;tag=t-\(callID)\r\nTo: <sip:44@pbx.example>\r\nCall-ID: \(callID)\r\n"
            + "CSeq: 1 MESSAGE\r\n\(extra)Content-Type: application/x-buttons\r\n"
            + "Content-Length: \(contentLength ?? String(body.utf8.count))\r\n\r\n" + body).utf8)
    }

    static func ok(_ callID: String) -> [UInt8] {
        Array(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@pbx.example>;tag=t-\(callID)\r\nTo: <sip:44@pbx.example>;tag=p\r\nCall-ID: \(callID)\r\n"
            + "CSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n").utf8)
    }

    mutating func normalTail() {
        udp(Self.pbx, Self.phone, Self.message("normal-after-hostile"))
        udp(Self.phone, Self.pbx, Self.ok("normal-after-hostile"))
    }

    // MARK: - The shapes

    static func tcpHole() -> Data {
        var c = HostileCapture()
        var stream: [UInt8] = []
        var i = 0
        while stream.count < 8 << 20 {
            stream += message("hole-\(i)", transport: "TCP")
            i += 1
        }
        c.tcpStream([192, 0, 2, 10], sport: 40000, stream, skipFirst: 1000)
        c.normalTail()
        return c.data
    }

    static func fragmentFlood(_ count: Int = 20_000) -> Data {
        var c = HostileCapture()
        let first = be16(5060) + be16(5060) + be16(3000) + [0, 0] + [UInt8](repeating: 0x78, count: 1472)
        for i in 0..<count {
            c.ipv4([192, 0, 2, UInt8(20 + i >> 16)], phone, proto: 17, first, id: UInt16(i & 0xffff), more: true)
        }
        c.normalTail()
        return c.data
    }

    static func hugeContentLength() -> Data {
        var c = HostileCapture()
        c.udp(pbx, phone, message("huge-udp", contentLength: "9999999999"))
        c.tcpStream([192, 0, 2, 30], sport: 40001, message("huge-tcp", contentLength: "9999999999", transport: "TCP")
                     + [UInt8](repeating: 0x7a, count: 2 << 20))
        c.normalTail()
        return c.data
    }

    static func longHeader() -> Data {
        var c = HostileCapture()
        let long = [UInt8](repeating: 0x61, count: 10 << 20)
        c.tcpStream([192, 0, 2, 40], sport: 40002, message("long-header", transport: "TCP", extra: "X-Long: " + String(decoding: long, as: UTF8.self) + "\r\n"))
        c.normalTail()
        return c.data
    }

    static func manyPartialConnections(_ count: Int = 100_000) -> Data {
        var c = HostileCapture()
        let partial = Array("MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-p\r\nCall-ID: partial\r\n".utf8)
        for i in 0..<count {
            let src: [UInt8] = [10, 9, UInt8(i >> 8 & 0xff), UInt8(i & 0xff)]
            let port = UInt16(20000 + i >> 16)
            c.tcp(src, sport: port, seq: 77, flags: 0x02)
            c.tcp(src, sport: port, seq: 78, partial[...])
        }
        c.normalTail()
        return c.data
    }
}
