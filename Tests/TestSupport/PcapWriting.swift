import Foundation

/// Writes tiny classic pcap files (Ethernet, IPv4, UDP) so a test can put exactly the bytes it
/// reasons about on the wire, e.g. a document whose Content-Length cuts it.
enum PcapWriting {
    struct Datagram {
        var source: [UInt8]
        var destination: [UInt8]
        var payload: String
        var seconds: UInt32
    }

    static func udpCapture(_ datagrams: [Datagram]) -> Data {
        var out = Data()
        out += le32(0xa1b2_c3d4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65535) + le32(1)
        for d in datagrams {
            let payload = Array(d.payload.utf8)
            let udpLength = 8 + payload.count
            let ipLength = 20 + udpLength
            var ip: [UInt8] = [0x45, 0, UInt8(ipLength >> 8), UInt8(ipLength & 0xff), 0, 1, 0, 0, 64, 17, 0, 0]
            ip += d.source + d.destination
            let sum = checksum(ip)
            ip[10] = UInt8(sum >> 8); ip[11] = UInt8(sum & 0xff)
            let udp: [UInt8] = [0x13, 0xc4, 0x13, 0xc4, UInt8(udpLength >> 8), UInt8(udpLength & 0xff), 0, 0]
            let ethernet: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
            let frame = ethernet + ip + udp + payload
            out += le32(d.seconds) + le32(0) + le32(UInt32(frame.count)) + le32(UInt32(frame.count))
            out += Data(frame)
        }
        return out
    }

    /// One TCP segment (PSH+ACK) of a connection already open: the reassembler starts without a SYN.
    struct Segment {
        var source: [UInt8]
        var destination: [UInt8]
        var sourcePort: UInt16
        var destinationPort: UInt16
        var sequence: UInt32
        var payload: String
        var seconds: UInt32
        var microseconds: UInt32 = 0
    }

    static func tcpCapture(_ segments: [Segment]) -> Data {
        var out = Data()
        out += le32(0xa1b2_c3d4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65535) + le32(1)
        for s in segments {
            let payload = Array(s.payload.utf8)
            let ipLength = 20 + 20 + payload.count
            var ip: [UInt8] = [0x45, 0, UInt8(ipLength >> 8), UInt8(ipLength & 0xff), 0, 1, 0x40, 0, 64, 6, 0, 0]
            ip += s.source + s.destination
            let sum = checksum(ip)
            ip[10] = UInt8(sum >> 8); ip[11] = UInt8(sum & 0xff)
            let q = s.sequence
            let tcp: [UInt8] = [UInt8(s.sourcePort >> 8), UInt8(s.sourcePort & 0xff), UInt8(s.destinationPort >> 8), UInt8(s.destinationPort & 0xff),
                                UInt8(q >> 24), UInt8(q >> 16 & 0xff), UInt8(q >> 8 & 0xff), UInt8(q & 0xff),
                                0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]
            let ethernet: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
            let frame = ethernet + ip + tcp + payload
            out += le32(s.seconds) + le32(s.microseconds) + le32(UInt32(frame.count)) + le32(UInt32(frame.count))
            out += Data(frame)
        }
        return out
    }

    static func checksum(_ header: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for i in stride(from: 0, to: header.count, by: 2) { sum += UInt32(header[i]) << 8 | UInt32(header[i + 1]) }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }

    static func le32(_ v: UInt32) -> Data { Data([UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)]) }
    static func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xff), UInt8(v >> 8)]) }

    /// A MESSAGE from 192.0.2.1 to phone 44 with `body` and the given Content-Length (nil: the true one).
    static func message(_ body: String, contentLength: Int? = nil, contentType: String = "application/x-buttons",
                        callID: String) -> String {
        "MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@192.0.2.1>;tag=t-\(callID)\r\nTo: <sip:44@192.0.2.1>\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(contentLength ?? body.utf8.count)\r\n\r\n" + body
    }

    static func ok(callID: String, status: String = "200 OK") -> String {
        "SIP/2.0 \(status)\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@192.0.2.1>;tag=t-\(callID)\r\nTo: <sip:44@192.0.2.1>;tag=p\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    }

    static let pbx: [UInt8] = [192, 0, 2, 1]
    static let phone: [UInt8] = [192, 0, 2, 44]

    /// Writes the capture to a fresh temporary file and returns its path.
    static func write(_ datagrams: [Datagram], name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-\(UUID().uuidString)-\(name).pcap")
        try udpCapture(datagrams).write(to: url)
        return url.path
    }
}
