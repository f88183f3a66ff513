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

    private var window: HEPReorderWindow<Released>
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

    public init(window: HEPReorderWindow<Released> = HEPReorderWindow()) {
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

    private mutating func accept(_ p: HEPPacket, from: Endpoint, transport: String, arrival: Timestamp, diagnose: (Diagnostic) -> Void) {
        let number = packets
        var place: String { "HEP packet \(number) (\(transport) from \(from))" }
        for problem in p.problems { report(Diagnostic(problem.code, .error, "\(place): \(problem.message)"), diagnose) }
        var read: CapturedMessage?
        var unread: String?
        var clean = p
        clean.problems = []
        HEPUnitReader.read(clean, frame: 0, frames: [0], time: arrival, outerSource: from, outerDestination: from) { out in
            switch out {
            case .message(let m): read = m
            case .unread(let why, _): unread = why
            case .diagnostic(let d): report(d, diagnose)
            }
        }
        guard var m = read, let payload = p.payload else {
            unreadPackets += 1
            report(Diagnostic(SIPCaptureCode.hepUnread, .warning, "\(place): \(unread ?? "no SIP message"): not read"), diagnose)
            return
        }
        let agent = HEPAgent(nodeID: p.envelope.nodeID, address: from)
        m.hep?.agent = from
        if agents.count < Self.maxAgents { agents.insert(agent) }
        var h = Hasher()
        h.combine(m.source)
        h.combine(m.destination)
        h.combine(m.transport)
        payload.withUnsafeBytes { h.combine(bytes: $0) }
        if window.insert(Released(message: m, agent: agent, payload: keepsPayload ? payload : []), time: m.time, arrival: arrival, agent: agent, fingerprint: h.finalize()) {
            messages += 1
        }
    }

    /// Messages whose hold is over, numbered as they leave.
    public mutating func release(now: Timestamp) -> [Released] {
        var released = window.release(now: now)
        number(&released)
        return released
    }

    /// Everything held, at stop; open streams close.
    public mutating func finish(now: Timestamp, diagnose: (Diagnostic) -> Void) -> [Released] {
        for c in streams.keys.sorted() {
            var s = streams.removeValue(forKey: c)!
            s.close { o in
                if case .problem(let p, _) = o { report(Diagnostic(p.code, .error, "HEP over TCP: \(p.message)"), diagnose) }
            }
        }
        var released = window.drain()
        number(&released)
        return released
    }

    /// In place: a copy of each message out and back cost a retain and release of all it holds.
    private mutating func number(_ items: inout [Released]) {
        for i in items.indices {
            frame += 1
            items[i].message.frame = frame
            if items[i].message.frames.count == 1 { items[i].message.frames[0] = frame } else { items[i].message.frames = [frame] }
        }
    }

    private mutating func report(_ d: Diagnostic, _ diagnose: (Diagnostic) -> Void) {
        let n = (diagnosticCounts[d.code] ?? 0) + 1
        diagnosticCounts[d.code] = n
        if n <= Self.maxDiagnosticsPerCode { diagnose(d) } else { suppressedDiagnostics += 1 }
    }
}
