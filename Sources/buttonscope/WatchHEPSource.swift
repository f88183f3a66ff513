import Base
import Capture
import SIP
import SIPCapture
import Pipeline
import Rendering

/// `watch --hep`: the collector's sockets, its decoding and its `-w` file, run from the watch loop.
/// Each message that leaves the reorder window goes to the file (if any) and then to the session.
final class WatchHEPSource {
    let receiver: HEPReceiver
    private var collector = HEPCollector()
    private let writer: FleetCaptureWriter?

    init(listeners: [HEPListenAddress], write: String?) throws {
        receiver = try HEPReceiver(listeners: listeners)
        writer = try write.map { try FleetCaptureWriter(path: $0) }
        collector.keepsPayload = writer != nil
    }

    /// "udp:127.0.0.1:9060 (receive buffer 16 MiB granted), tcp:…" for the listening line.
    var listeningText: String {
        receiver.listeners.map { l in
            guard let granted = receiver.receiveBuffers.first(where: { $0.0 == l })?.1 else { return l.description }
            return "\(l) (receive buffer \(granted >> 20 > 0 ? "\(granted >> 20) MiB" : "\(granted >> 10) KiB") granted)"
        }.joined(separator: ", ")
    }

    /// What the intake hands to the session, in the order it happened: a problem an agent's packet
    /// had (printed at once), or messages that left the reorder window.
    enum Item {
        case diagnostic(Diagnostic)
        case released([HEPCollector.Released])
    }

    /// Packets still queued when the user stopped: read them (for at most `seconds`) so that what
    /// had arrived is shown, not dropped unsaid; then what the window still holds, open streams closed.
    private(set) var leftQueued = false
    func drainAndFinish(seconds: Double = 5) -> [Item] {
        var items: [Item] = []
        let end = Timestamp.now().adding(seconds: seconds)
        while intake(timeoutMs: 0, into: &items) > 0 {
            if !(Timestamp.now() < end) { leftQueued = true; break }
        }
        return items + finishItems()
    }

    /// What the reorder window still holds, open streams closed (and their problems).
    private func finishItems() -> [Item] {
        var items: [Item] = []
        let last = collector.finish(now: Timestamp.now()) { items.append(.diagnostic($0)) }
        return items + [.released(last)]
    }

    /// Receive and decode what arrives within `timeoutMs`, and take what leaves the reorder window.
    /// Touches only the sockets and the collector: the intake thread runs it.
    @discardableResult
    func intake(timeoutMs: Int32, limit: Int = 20_000, into items: inout [Item]) -> Int {
        let now = Timestamp.now()
        let handed = receiver.poll(timeoutMs: timeoutMs, limit: limit) { arrival in
            switch arrival {
            case .datagram(let bytes, let from):
                collector.receive(datagram: bytes, from: from, arrival: now) { items.append(.diagnostic($0)) }
            case .stream(let bytes, let connection, let from):
                collector.receive(stream: bytes, connection: connection, from: from, arrival: now) { items.append(.diagnostic($0)) }
            case .streamClosed(let connection, let from):
                collector.close(connection: connection, from: from, arrival: now) { items.append(.diagnostic($0)) }
            }
        }
        let released = collector.release(now: Timestamp.now()) { items.append(.diagnostic($0)) }
        if !released.isEmpty { items.append(.released(released)) }
        return handed
    }

    /// Both steps on the calling thread (with `-i`, whose loop also polls the interface).
    func poll(timeoutMs: Int32, session: inout WatchSession) throws {
        var items: [Item] = []
        intake(timeoutMs: timeoutMs, into: &items)
        try deliver(items, to: &session)
    }

    func finish(session: inout WatchSession) throws {
        try deliver(finishItems(), to: &session)
        try flushFile()
    }

    func flushFile() throws { try writer?.flush() }

    /// Items to the `-w` file and the session. Touches only the writer, the agents' clock and the
    /// session: the watch loop runs it.
    func deliver(_ items: [Item], to session: inout WatchSession) throws {
        for item in items {
            switch item {
            case .diagnostic(let d): session.report(d)
            case .released(let released): try deliver(released, to: &session)
            }
        }
    }

    /// The agents' clock as this box sees it: the latest original time released, moved on by the
    /// time passed here since. Timer F runs on it, so an agent whose clock is off by minutes does not
    /// make every document look unanswered (or never so).
    private var agentClock: (original: Timestamp, local: Timestamp)?

    func agentTime(now: Timestamp) -> Timestamp {
        guard let c = agentClock else { return now }
        return c.original.adding(seconds: now.seconds(since: c.local))
    }

    private func deliver(_ released: [HEPCollector.Released], to session: inout WatchSession) throws {
        if let last = released.last?.message.time, agentClock.map({ $0.original < last }) ?? true {
            agentClock = (last, Timestamp.now())
        }
        for r in released {
            if let writer {
                let m = r.message
                try writer.write(agent: .init(nodeID: r.agent.nodeID, address: r.agent.address), source: m.source,
                                 destination: m.destination, tcp: m.transport.isStream, time: m.time,
                                 payload: r.payload, comment: Self.comment(m))
            }
            session.process(hep: r.message)
        }
    }

    /// The HEP envelope as the `-w` file's packet comment.
    static func comment(_ m: CapturedMessage) -> String {
        guard let e = m.hep else { return "" }
        var parts = ["HEP\(e.version)", "node \(e.nodeID.map(String.init) ?? "-")"]
        if let a = e.agent { parts.append("agent \(a)") }
        if let n = e.nodeName { parts.append("name \(n)") }
        if let c = e.correlationID { parts.append("correlation \(c)") }
        if e.wasCompressed { parts.append("compressed") }
        return parts.joined(separator: " ")
    }

    /// What the stop line says: packets, copies dropped, losses (never silent), the file.
    var summary: String {
        var parts = ["\(collector.packets) HEP packet\(collector.packets == 1 ? "" : "s") from \(collector.agents.count) agent\(collector.agents.count == 1 ? "" : "s")",
                     "\(collector.messages) message\(collector.messages == 1 ? "" : "s")"]
        parts.append("\(collector.duplicates) duplicate\(collector.duplicates == 1 ? "" : "s") dropped")
        if collector.unreadPackets > 0 { parts.append("\(collector.unreadPackets) not read") }
        if collector.late > 0 { parts.append("\(collector.late) arrived after the reorder window") }
        parts.append("\(receiver.kernelDrops) dropped by the kernel")
        let own = receiver.truncatedDatagrams + receiver.refusedConnections
        parts.append("\(own) dropped by buttonscope" + (receiver.refusedConnections > 0 ? " (\(receiver.refusedConnections) TCP connections refused)" : ""))
        if leftQueued { parts.append("datagrams still queued at stop were not read") }
        if collector.suppressedDiagnostics > 0 { parts.append("\(collector.suppressedDiagnostics) more diagnostics not printed") }
        if let writer { parts.append("\(writer.packetsWritten) messages written to \(writer.path)") }
        return parts.joined(separator: ", ")
    }
}
