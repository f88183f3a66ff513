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

    private typealias Bytes = CaptureFileEncoding
    private let file: BufferedFileOutput
    private var interfaces: [AgentKey: UInt32] = [:]
    /// TCP flows: the next sequence number, so a reader reassembles the segments in order.
    private var sequences: [FlowKey: UInt32] = [:]
    public private(set) var packetsWritten = 0
    public var path: String { file.path }

    private struct FlowKey: Hashable { var source: Endpoint; var destination: Endpoint }

    public init(path: String) throws {
        file = try BufferedFileOutput(path: path)
        // shb_userappl
        try file.append(Bytes.sectionHeader(options: Bytes.option(4, Array("buttonscope watch --hep".utf8)) + Bytes.endOfOptions))
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
            let options = Bytes.option(2, Array(name.utf8)) + Bytes.option(9, [9]) + Bytes.endOfOptions
            try file.append(Bytes.interfaceDescription(linkType: 1, options: options)) // LINKTYPE_ETHERNET
        }
        var sequence: UInt32 = 1
        if tcp {
            let key = FlowKey(source: source, destination: destination)
            sequence = sequences[key] ?? 1
            sequences[key] = sequence &+ UInt32(min(payload.count, SyntheticPacket.maxPayload))
        }
        let packet = SyntheticPacket.ethernet(source: source, destination: destination, tcp: tcp, tcpSequence: sequence, payload: payload[...])
        let nanos = UInt64(max(0, time.seconds)) &* 1_000_000_000 &+ UInt64(max(0, time.nanoseconds))
        try file.append(Bytes.enhancedPacket(interface: index, timestamp: nanos, bytes: packet, originalLength: UInt32(packet.count),
                                             options: Bytes.option(1, Array(comment.utf8.prefix(4096))) + Bytes.endOfOptions))
        packetsWritten += 1
    }

    public func flush() throws { try file.flush() }
}
