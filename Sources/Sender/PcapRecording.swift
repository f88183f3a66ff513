#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TLSKeys
import Base

/// The sender's log as a classic pcap (link type 101, raw IP), so ButtonScope can analyse its
/// own traffic: `buttonscope messages out.pcap` shows what a replay really sent and got back.
///
/// IP and UDP/TCP headers are synthesised around the logged bytes: TCP connections get a
/// handshake and sequence numbers that advance with the payload, segments cut at a typical
/// MSS. TLS connections are written as they crossed the socket (encrypted records), in pcapng
/// with their keys in a Decryption Secrets Block: Wireshark and ButtonScope read them with no
/// option, and the file shows what a capture on the wire would.
public enum PcapRecording {
    public static let linkTypeRawIP: UInt32 = 101
    private typealias Bytes = CaptureFileEncoding
    static let mss = 1460

    /// The whole file's bytes.
    public static func encode(_ entries: [SenderLogEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out += Bytes.pcapHeader(linkType: linkTypeRawIP)
        var writer = PacketSynthesizer()
        for entry in entries {
            for packet in writer.packets(for: entry) {
                let usec = (packet.time * 1e6).rounded()
                let sec = UInt32(clamping: Int64(usec / 1e6))
                let micro = UInt32(clamping: Int64(usec) - Int64(sec) * 1_000_000)
                out += Bytes.pcapRecord(seconds: sec, fraction: micro, bytes: packet.bytes, originalLength: UInt32(packet.bytes.count))
            }
        }
        return out
    }

    /// pcapng (raw IP) with a Decryption Secrets Block holding `keyLog`'s lines for the TLS
    /// connections in `wire` (their ClientHellos name them), then every packet: `entries`
    /// except TLS plaintext, and `wire`'s encrypted records in its place.
    public static func encode(_ entries: [SenderLogEntry], wire: [SenderLogEntry], keyLog: TLSKeyLogSink?) -> [UInt8] {
        var out = Bytes.sectionHeader()
        // One interface: raw IP, snap length 262144, default microsecond timestamps.
        out += Bytes.interfaceDescription(linkType: UInt16(linkTypeRawIP))
        var randoms: [[UInt8]] = []
        var opened = Set<String>()
        for entry in wire where entry.direction == .sent && opened.insert("\(entry.local) \(entry.remote)").inserted {
            if let random = TLSClientHello.clientRandom(entry.bytes) { randoms.append(random) }
        }
        if let text = keyLog?.keyLog(clientRandoms: randoms), !text.isEmpty {
            out += DecryptionSecretsBlock.encode(keyLog: text)
        }
        let all = (entries.filter { $0.transport != .tls } + wire).enumerated()
            .sorted { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset }.map(\.element)
        var writer = PacketSynthesizer()
        for entry in all {
            for packet in writer.packets(for: entry) {
                let usec = UInt64(max(0, (packet.time * 1e6).rounded()))
                out += Bytes.enhancedPacket(interface: 0, timestamp: usec, bytes: packet.bytes, originalLength: UInt32(packet.bytes.count))
            }
        }
        return out
    }

    /// Writes the log: classic pcap as before, or pcapng with embedded keys when TLS
    /// connections were recorded (`wire` not empty).
    public static func write(_ entries: [SenderLogEntry], wire: [SenderLogEntry] = [], keyLog: TLSKeyLogSink? = nil, to path: String) throws {
        let bytes = wire.isEmpty ? encode(entries) : encode(entries, wire: wire, keyLog: keyLog)
        guard let file = fopen(path, "wb") else {
            throw SenderError.transport(address: path, reason: "cannot write the recording: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else {
            throw SenderError.transport(address: path, reason: "cannot write the recording: disk full?")
        }
    }
}

/// Wraps payloads in IPv4/IPv6 + UDP/TCP headers, keeping per-connection TCP sequence state.
struct PacketSynthesizer {
    struct Packet { var time: Double; var bytes: [UInt8] }

    private struct Flow: Hashable { var a: Endpoint; var b: Endpoint }
    private struct TCPState { var clientSeq: UInt32; var serverSeq: UInt32 }
    private var tcp: [Flow: TCPState] = [:]
    private var ipID: UInt16 = 1

    mutating func packets(for entry: SenderLogEntry) -> [Packet] {
        let (src, dst) = entry.direction == .sent ? (entry.local, entry.remote) : (entry.remote, entry.local)
        if entry.transport == .udp {
            return [Packet(time: entry.time, bytes: ip(src: src, dst: dst, proto: 17, payload: udp(src: src, dst: dst, entry.bytes)))]
        }
        var out: [Packet] = []
        let flow = Flow(a: entry.local, b: entry.remote)
        if tcp[flow] == nil {
            // We always open the connection: SYN, SYN-ACK, ACK just before the first data.
            let isn = UInt32(truncatingIfNeeded: flow.hashValue) | 1
            let peerISN = isn &* 2_654_435_761 | 1
            let t = entry.time - 0.000_3
            out.append(Packet(time: t, bytes: tcpPacket(entry.local, entry.remote, seq: isn, ack: 0, flags: 0x02, [])))
            out.append(Packet(time: t + 0.000_1, bytes: tcpPacket(entry.remote, entry.local, seq: peerISN, ack: isn &+ 1, flags: 0x12, [])))
            out.append(Packet(time: t + 0.000_2, bytes: tcpPacket(entry.local, entry.remote, seq: isn &+ 1, ack: peerISN &+ 1, flags: 0x10, [])))
            tcp[flow] = TCPState(clientSeq: isn &+ 1, serverSeq: peerISN &+ 1)
        }
        guard var state = tcp[flow] else { return out }
        var offset = 0
        repeat {
            let chunk = Array(entry.bytes[offset..<min(entry.bytes.count, offset + PcapRecording.mss)])
            if entry.direction == .sent {
                out.append(Packet(time: entry.time, bytes: tcpPacket(src, dst, seq: state.clientSeq, ack: state.serverSeq, flags: 0x18, chunk)))
                state.clientSeq &+= UInt32(chunk.count)
            } else {
                out.append(Packet(time: entry.time, bytes: tcpPacket(src, dst, seq: state.serverSeq, ack: state.clientSeq, flags: 0x18, chunk)))
                state.serverSeq &+= UInt32(chunk.count)
            }
            offset += chunk.count
        } while offset < entry.bytes.count
        tcp[flow] = state
        return out
    }

    private mutating func tcpPacket(_ src: Endpoint, _ dst: Endpoint, seq: UInt32, ack: UInt32, flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        var h: [UInt8] = be16(src.port) + be16(dst.port) + be32(seq) + be32(ack)
        h += [0x50, flags] + be16(65_535) + [0, 0, 0, 0]
        var segment = h + payload
        let sum = checksum(pseudoHeader(src, dst, proto: 6, length: segment.count) + segment)
        segment[16] = UInt8(sum >> 8)
        segment[17] = UInt8(sum & 0xff)
        return ip(src: src, dst: dst, proto: 6, payload: segment)
    }

    private func udp(src: Endpoint, dst: Endpoint, _ payload: [UInt8]) -> [UInt8] {
        let length = min(payload.count + 8, 65_535)
        var d = be16(src.port) + be16(dst.port) + be16(UInt16(length)) + [0, 0] + payload.prefix(65_527)
        var sum = checksum(pseudoHeader(src, dst, proto: 17, length: d.count) + d)
        if sum == 0 { sum = 0xffff }
        d[6] = UInt8(sum >> 8)
        d[7] = UInt8(sum & 0xff)
        return d
    }

    private mutating func ip(src: Endpoint, dst: Endpoint, proto: UInt8, payload: [UInt8]) -> [UInt8] {
        if src.address.isIPv6 || dst.address.isIPv6 {
            return [0x60, 0, 0, 0] + be16(UInt16(clamping: payload.count)) + [proto, 64] + v6(src.address) + v6(dst.address) + payload
        }
        ipID &+= 1
        var h: [UInt8] = [0x45, 0] + be16(UInt16(clamping: payload.count + 20)) + be16(ipID) + [0x40, 0, 64, proto, 0, 0]
        h += v4(src.address) + v4(dst.address)
        let sum = checksum(h)
        h[10] = UInt8(sum >> 8)
        h[11] = UInt8(sum & 0xff)
        return h + payload
    }

    private func pseudoHeader(_ src: Endpoint, _ dst: Endpoint, proto: UInt8, length: Int) -> [UInt8] {
        if src.address.isIPv6 || dst.address.isIPv6 {
            return v6(src.address) + v6(dst.address) + be32(UInt32(length)) + [0, 0, 0, proto]
        }
        return v4(src.address) + v4(dst.address) + [0, proto] + be16(UInt16(clamping: length))
    }

    private func v4(_ a: IPAddress) -> [UInt8] { a.bytes.count == 4 ? a.bytes : [0, 0, 0, 0] }
    /// IPv4 in an IPv6 flow (should not happen) is written v4-mapped.
    private func v6(_ a: IPAddress) -> [UInt8] { a.bytes.count == 16 ? a.bytes : Array(repeating: 0, count: 10) + [0xff, 0xff] + v4(a) }

    private func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < bytes.count {
            sum &+= UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < bytes.count { sum &+= UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) &+ (sum >> 16) }
        return ~UInt16(sum)
    }

    private func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    private func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
}
