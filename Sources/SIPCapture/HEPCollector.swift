import Capture
import Base

/// A HEP collector's decoding, pure: bytes as they came from agents (datagrams, or TCP streams
/// of back-to-back HEP3 packets) in, SIP messages out, each with its original endpoints and time
/// and its agent, ordered and deduplicated by a `HEPReorderWindow`. Frames are numbered as the
/// messages leave the window, so they equal the packet numbers of the `-w` file written from them.
public struct HEPCollector {
    /// One message ready for the tracker, with the bytes it came as (for the `-w` file).
    public struct Released {
        public var message: CapturedMessage
        public var agent: HEPAgent
        public var payload: [UInt8]
    }

    /// A packet waiting in the window: its envelope and bytes, read as SIP only when it leaves. A
    /// parsed message is several times its bytes (headers as strings, their table), and a busy
    /// fleet keeps ten thousand packets waiting.
    public struct Waiting {
        var packet: HEPPacket
        var from: Endpoint
        /// The packet's number as it arrived, and its transport, to name it in a diagnostic.
        var number: Int
        var transport: String
        /// When it came here: the message's time when the agent gave none.
        var arrival: Timestamp
    }

    private var window: HEPReorderWindow<Waiting>
    private var streams: [Int: HEPStream] = [:]
    private(set) public var packets = 0
    private(set) public var messages = 0
    private(set) public var unreadPackets = 0
    private(set) public var frame = 0
    /// Agents seen (bounded: a fleet of more than `maxAgents` is counted, not listed).
    private(set) public var agents: Set<HEPAgent> = []
    public static let maxAgents = 10_000
    /// Diagnostics of one kind beyond this many are counted, not printed: a sender of garbage
    /// must not flood the terminal.
    public static let maxDiagnosticsPerCode = 20
    private var diagnosticCounts: [String: Int] = [:]
    public private(set) var suppressedDiagnostics = 0

    /// Keep each message's bytes as they came (`Released.payload`) for a `-w` file; without one
    /// they are let go at once (a collector holds tens of thousands of messages in flight).
    public var keepsPayload = true

    public init(window: HEPReorderWindow<Waiting> = HEPReorderWindow()) {
        self.window = window
    }

    public var duplicates: Int { window.duplicates }
    public var late: Int { window.late }
    public var releasedEarly: Int { window.releasedEarly }
    public var peakHeld: Int { window.peakHeld }

    /// One UDP datagram from `from`: one HEP packet (HEP1/2/3).
    public mutating func receive(datagram bytes: [UInt8], from: Endpoint, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        packets += 1
        // Built only for a problem: formatting addresses for every packet was 5% of a busy collector.
        var where_: String { "UDP from \(from)" }
        switch HEPDecoder.decode(bytes[...]) {
        case .packet(let p):
            accept(p, from: from, transport: "UDP", arrival: arrival, diagnose: diagnose)
        case .needMore(let declared):
            unreadPackets += 1
            report(Diagnostic(SIPCaptureCode.hepLengthPastPacket, .error, "HEP packet \(packets) (\(where_)): a HEP3 packet declares \(declared) bytes but the datagram holds \(bytes.count): not read"), diagnose)
        case .notHEP(let problem):
            unreadPackets += 1
            let p = problem ?? CarrierProblem(code: SIPCaptureCode.hepNotHEP, message: "a datagram of \(bytes.count) bytes that is not a HEP packet")
            report(Diagnostic(p.code, .error, "HEP packet \(packets) (\(where_)): \(p.message): not read"), diagnose)
        }
    }

    /// Bytes of a TCP connection from `from`; `connection` tells connections apart.
    public mutating func receive(stream bytes: [UInt8], connection: Int, from: Endpoint, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        var stream = streams[connection] ?? HEPStream()
        var outputs: [HEPStream.Output] = []
        stream.append(bytes[...], frame: 0, time: arrival) { outputs.append($0) }
        streams[connection] = stream
        for o in outputs { streamOutput(o, from: from, arrival: arrival, diagnose: diagnose) }
    }

    public mutating func close(connection: Int, from: Endpoint, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        guard var stream = streams.removeValue(forKey: connection) else { return }
        var outputs: [HEPStream.Output] = []
        stream.close { outputs.append($0) }
        for o in outputs { streamOutput(o, from: from, arrival: arrival, diagnose: diagnose) }
    }

    private mutating func streamOutput(_ o: HEPStream.Output, from: Endpoint, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        switch o {
        case .packet(let p, _, _, _):
            packets += 1
            accept(p, from: from, transport: "TCP", arrival: arrival, diagnose: diagnose)
        case .problem(let p, _):
            report(Diagnostic(p.code, .error, "HEP over TCP from \(from): \(p.message)"), diagnose)
        }
    }

    /// Checks what can be checked without reading the SIP (problems, a payload, its type), and puts
    /// the packet in the window: the fingerprint is of the bytes and original endpoints, as they came.
    private mutating func accept(_ p: HEPPacket, from: Endpoint, transport: String, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        let number = packets
        var place: String { "HEP packet \(number) (\(transport) from \(from))" }
        for problem in p.problems { report(Diagnostic(problem.code, .error, "\(place): \(problem.message)"), diagnose) }
        let e = p.envelope
        if let why = HEPUnitReader.whyNotSIP(p) {
            unreadPackets += 1
            report(Diagnostic(SIPCaptureCode.hepUnread, .warning, "\(place): \(why): not read"), diagnose)
            return
        }
        guard let payload = p.payload else { return }
        let agent = HEPAgent(nodeID: e.nodeID, address: from)
        if agents.count < Self.maxAgents { agents.insert(agent) }
        var clean = p
        clean.problems = []
        clean.envelope.agent = from
        var h = Hasher()
        h.combine(e.source ?? from)
        h.combine(e.destination ?? from)
        h.combine(HEPUnitReader.transport(e))
        payload.withUnsafeBytes { h.combine(bytes: $0) }
        window.insert(Waiting(packet: clean, from: from, number: number, transport: transport, arrival: arrival),
                      time: e.time ?? arrival, arrival: arrival, agent: agent, fingerprint: h.finalize())
    }

    /// Messages whose hold is over, read and numbered as they leave; a payload that is not SIP is
    /// said then.
    public mutating func release(now: Timestamp, diagnose: (Diagnostic) -> Void) -> [Released] {
        read(window.release(now: now), diagnose: diagnose)
    }

    /// Everything held, at stop; open streams close.
    public mutating func finish(now: Timestamp, diagnose: (Diagnostic) -> Void) -> [Released] {
        for c in streams.keys.sorted() {
            var s = streams.removeValue(forKey: c)!
            s.close { o in
                if case .problem(let p, _) = o { report(Diagnostic(p.code, .error, "HEP over TCP: \(p.message)"), diagnose) }
            }
        }
        return read(window.drain(), diagnose: diagnose)
    }

    /// The waiting packets as SIP messages, numbered in the order they leave (so the frame numbers
    /// equal the `-w` file's packet numbers).
    private mutating func read(_ waiting: [Waiting], diagnose: (Diagnostic) -> Void) -> [Released] {
        var out: [Released] = []
        out.reserveCapacity(waiting.count)
        for w in waiting {
            var read: CapturedMessage?
            var unread: String?
            HEPUnitReader.read(w.packet, frame: frame + 1, frames: [frame + 1], time: w.arrival, outerSource: w.from, outerDestination: w.from) { o in
                switch o {
                case .message(let m): read = m
                case .unread(let why, _): unread = why
                case .diagnostic(let d): report(d, diagnose)
                }
            }
            guard let m = read else {
                unreadPackets += 1
                report(Diagnostic(SIPCaptureCode.hepUnread, .warning, "HEP packet \(w.number) (\(w.transport) from \(w.from)): \(unread ?? "no SIP message"): not read"), diagnose)
                continue
            }
            frame += 1
            messages += 1
            out.append(Released(message: m, agent: HEPAgent(nodeID: w.packet.envelope.nodeID, address: w.from),
                                payload: keepsPayload ? w.packet.payload ?? [] : []))
        }
        return out
    }

    private mutating func report(_ d: Diagnostic, _ diagnose: (Diagnostic) -> Void) {
        let n = (diagnosticCounts[d.code] ?? 0) + 1
        diagnosticCounts[d.code] = n
        if n <= Self.maxDiagnosticsPerCode { diagnose(d) } else { suppressedDiagnostics += 1 }
    }
}
