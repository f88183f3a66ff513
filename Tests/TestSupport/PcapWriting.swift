import Foundation

/// Writes tiny classic pcap files (Ethernet, IPv4, UDP) so a test can put exactly the bytes it
/// reasons about on the wire, e.g. a document whose Content-Length cuts it.
public enum PcapWriting {
    public struct Datagram {
        public var source: [UInt8]
        public var destination: [UInt8]
        public var payload: String
        public var seconds: UInt32
        public init(source: [UInt8], destination: [UInt8], payload: String, seconds: UInt32) {
            self.source = source; self.destination = destination; self.payload = payload; self.seconds = seconds
        }
    }

    /// The MAC addresses these captures carry (locally administered).
    static let macs: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]

    public static func udpCapture(_ datagrams: [Datagram]) -> Data {
        Data(CaptureFile.pcap(datagrams.map { d in
            let udp = Build.udp(bytes(d.payload))
            let ip = Build.ipv4(src: d.source, dst: d.destination, proto: 17, id: 1, checksum: true, udp)
            return PcapRecord(seconds: d.seconds, fraction: 0, data: Build.ethernet(macs: macs, ip))
        }))
    }

    /// One TCP segment (PSH+ACK) of a connection already open: the reassembler starts without a SYN.
    public struct Segment {
        public var source: [UInt8]
        public var destination: [UInt8]
        public var sourcePort: UInt16
        public var destinationPort: UInt16
        public var sequence: UInt32
        public var payload: String
        public var seconds: UInt32
        public var microseconds: UInt32
        public init(source: [UInt8], destination: [UInt8], sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32,
                    payload: String, seconds: UInt32, microseconds: UInt32 = 0) {
            self.source = source; self.destination = destination; self.sourcePort = sourcePort
            self.destinationPort = destinationPort; self.sequence = sequence; self.payload = payload
            self.seconds = seconds; self.microseconds = microseconds
        }
    }

    public static func tcpCapture(_ segments: [Segment]) -> Data {
        Data(CaptureFile.pcap(segments.map { s in
            let tcp = Build.tcp(sport: s.sourcePort, dport: s.destinationPort, seq: s.sequence, ack: 1, bytes(s.payload))
            let ip = Build.ipv4(src: s.source, dst: s.destination, proto: 6, id: 1, dontFragment: true, checksum: true, tcp)
            return PcapRecord(seconds: s.seconds, fraction: s.microseconds, data: Build.ethernet(macs: macs, ip))
        }))
    }

    /// A MESSAGE from 192.0.2.1 to phone 44 with `body` and the given Content-Length (nil: the true one).
    public static func message(_ body: String, contentLength: Int? = nil, contentType: String = "application/x-buttons",
                        callID: String) -> String {
        "MESSAGE sip:44@192.0.2.44:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@192.0.2.1>;tag=t-\(callID)\r\nTo: <sip:44@192.0.2.1>\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(contentLength ?? body.utf8.count)\r\n\r\n" + body
    }

    public static func ok(callID: String, status: String = "200 OK") -> String {
        "SIP/2.0 \(status)\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:44@192.0.2.1>;tag=t-\(callID)\r\nTo: <sip:44@192.0.2.1>;tag=p\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    }

    public static let pbx: [UInt8] = [192, 0, 2, 1]
    public static let phone: [UInt8] = [192, 0, 2, 44]

    /// Writes the capture to a fresh temporary file and returns its path.
    public static func write(_ datagrams: [Datagram], name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("buttonscope-\(UUID().uuidString)-\(name).pcap")
        try udpCapture(datagrams).write(to: url)
        return url.path
    }
}
