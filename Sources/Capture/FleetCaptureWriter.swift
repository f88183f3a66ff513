#if canImport(Glibc)
import Glibc
#endif
import Base

/// The `-w` file of a HEP collector: pcapng, one interface per capture agent (named for its node
/// and address), each message as a synthetic packet with its original addresses and time, and the
/// HEP envelope in the packet's comment (opt_comment), where Wireshark shows it.
public final class FleetCaptureWriter {
    public struct AgentKey: Hashable, Sendable {
        public var nodeID: UInt32?
        public var address: Endpoint
        public init(nodeID: UInt32?, address: Endpoint) { self.nodeID = nodeID; self.address = address }
    }

    private let fd: Int32
    private var pending: [UInt8] = []
    private var interfaces: [AgentKey: UInt32] = [:]
    /// TCP flows: the next sequence number, so a reader reassembles the segments in order.
    private var sequences: [FlowKey: UInt32] = [:]
    public private(set) var packetsWritten = 0
    public let path: String

    private struct FlowKey: Hashable { var source: Endpoint; var destination: Endpoint }

    public init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        var shb = le32(0x1a2b_3c4d) + le16(1) + le16(0) + le32(0xffff_ffff) + le32(0xffff_ffff)
        shb += option(4, Array("buttonscope watch --hep".utf8)) + le32(0) // shb_userappl, opt_endofopt
        pending += block(type: 0x0a0d_0d0a, body: shb)
    }

    deinit {
        try? flush()
        close(fd)
    }

    public func write(agent: AgentKey, source: Endpoint, destination: Endpoint, tcp: Bool, time: Timestamp,
                      payload: [UInt8], comment: String) throws {
        let index: UInt32
        if let known = interfaces[agent] {
            index = known
        } else {
            index = UInt32(interfaces.count)
            interfaces[agent] = index
            let name = "hep node \(agent.nodeID.map(String.init) ?? "-") agent \(agent.address)"
            // if_name (2), if_tsresol (9) = 9: nanoseconds.
            let options = option(2, Array(name.utf8)) + option(9, [9]) + le32(0)
            pending += block(type: 1, body: le16(1) + le16(0) + le32(262_144) + options) // LINKTYPE_ETHERNET
        }
        var sequence: UInt32 = 1
        if tcp {
            let key = FlowKey(source: source, destination: destination)
            sequence = sequences[key] ?? 1
            sequences[key] = sequence &+ UInt32(min(payload.count, SyntheticPacket.maxPayload))
        }
        let packet = SyntheticPacket.ethernet(source: source, destination: destination, tcp: tcp, tcpSequence: sequence, payload: payload[...])
        let nanos = UInt64(max(0, time.seconds)) &* 1_000_000_000 &+ UInt64(max(0, time.nanoseconds))
        var body = le32(index) + le32(UInt32(nanos >> 32)) + le32(UInt32(nanos & 0xffff_ffff))
            + le32(UInt32(packet.count)) + le32(UInt32(packet.count))
        body += packet + padding(packet.count)
        body += option(1, Array(comment.utf8.prefix(4096))) + le32(0)
        pending += block(type: 6, body: body)
        packetsWritten += 1
        if pending.count >= 1 << 20 { try flush() }
    }

    public func flush() throws {
        var off = 0
        while off < pending.count {
            let n = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, pending.count - off) }
            if n <= 0 { pending.removeAll(); throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            off += n
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func option(_ code: UInt16, _ value: [UInt8]) -> [UInt8] {
        le16(code) + le16(UInt16(value.count)) + value + padding(value.count)
    }
    private func padding(_ n: Int) -> [UInt8] { [UInt8](repeating: 0, count: (4 - n % 4) % 4) }
    private func block(type: UInt32, body: [UInt8]) -> [UInt8] {
        let total = UInt32(12 + body.count)
        return le32(type) + le32(total) + body + le32(total)
    }
    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }
}
