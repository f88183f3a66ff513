import SIP
import TLSKeys
import Capture
import Base
import TLSDecryption

/// The TLS stage of the extractor: every TCP connection whose first bytes are TLS records goes
/// through a `TLSConnectionDecoder`; the application data of each direction is framed into SIP
/// messages like plain TCP (transport `tls`), at the frames that completed the records.
///
/// Bounded: at most `maxConnections` connections are followed (the least recently active one is
/// ended to make room), each holding one record and one handshake message per direction, and all
/// of them together at most `maxHeldBytes` (TLSMemoryBudget.swift).
struct TLSStreams {
    static let maxConnections = 16_384

    struct Connection {
        var decoder: TLSConnectionDecoder
        /// The client's direction: `source` is the client.
        var clientKey: TCPFlowKey
        var framers = [SIPStreamFramer(), SIPStreamFramer()]
        var closed = [false, false]
        var lastFrame: Int
        var lastUnreadFrame = 0
    }

    var keyring: TLSKeyring
    /// By the client's direction.
    var connections: [TCPFlowKey: Connection] = [:]
    /// What all connections hold, by capacity (decoders and framers): kept under `maxHeldBytes`.
    var footprint = 0
    var maxHeldBytes = 32 << 20
    /// Connections (by the client's direction) whose records did not open with the keys given:
    /// their frames are booked as TLS with wrong keys, not without keys. Bounded like the table.
    private(set) var withWrongKeys: Set<TCPFlowKey> = []

    func hadWrongKeys(_ key: TCPFlowKey) -> Bool { withWrongKeys.contains(key) || withWrongKeys.contains(key.reversed) }

    /// How the end-of-connection diagnostics say which keys would unlock a connection.
    let remedy: TLSKeyRemedy

    init(secrets: TLSSecrets, remedy: TLSKeyRemedy = .words) {
        keyring = TLSKeyring(secrets: secrets)
        self.remedy = remedy
    }

    func follows(_ key: TCPFlowKey) -> Bool { connections[key] != nil || connections[key.reversed] != nil }

    var bufferedBytes: Int {
        connections.values.reduce(0) { $0 + $1.decoder.bufferedBytes + $1.framers[0].bufferedBytes + $1.framers[1].bufferedBytes }
    }

    var lowestHeldFrame: Int? {
        var low: Int?
        for c in connections.values {
            for l in [c.decoder.lowestHeldFrame, c.framers[0].lowestHeldFrame, c.framers[1].lowestHeldFrame] {
                if let l, low == nil || l < low! { low = l }
            }
        }
        return low
    }

    /// A direction whose first bytes are TLS: the connection starts here. A ClientHello says who
    /// the client is; without one (the capture began inside the connection) the higher port is.
    mutating func begin(_ key: TCPFlowKey, _ bytes: ArraySlice<UInt8>, frame: Int, time: Timestamp,
                        statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        if connections.count >= Self.maxConnections, let oldest = connections.min(by: { $0.value.lastFrame < $1.value.lastFrame })?.key {
            end(oldest, statistics: &statistics, emit: emit)
        }
        let s = bytes.startIndex
        let handshakeType: UInt8? = bytes.count >= 6 && bytes[s] == 0x16 ? bytes[s + 5] : nil
        let isClient = handshakeType == 1 || (handshakeType != 2 && key.source.port > key.destination.port)
        let clientKey = isClient ? key : key.reversed
        connections[clientKey] = Connection(decoder: TLSConnectionDecoder(name: "\(clientKey)", firstFrame: frame),
                                            clientKey: clientKey, lastFrame: frame)
        handle(key, .data(bytes, frame: frame), time: time, statistics: &statistics, emit: emit)
    }

    mutating func handle(_ key: TCPFlowKey, _ event: TCPStreamEvent, time: Timestamp,
                         statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        let clientKey = connections[key] != nil ? key : key.reversed
        // Taken out while it works, so its buffers are not shared (and copied) with the table's.
        guard var c = connections.removeValue(forKey: clientKey) else { return }
        let before = Self.footprint(of: c)
        defer { enforceBudget(time: time, statistics: &statistics, emit: emit) }
        let peer: TLSPeer = key == clientKey ? .client : .server
        var outputs: [TLSConnectionDecoder.Output] = []
        switch event {
        case .data(let bytes, let frame):
            c.lastFrame = frame
            c.decoder.receive(bytes, from: peer, frame: frame, keys: &keyring) { outputs.append($0) }
        case .gap(let missing, let frame, let truncated):
            c.decoder.gap(missing: missing, from: peer, frame: frame, truncatedByCapture: truncated, keys: &keyring) { outputs.append($0) }
        case .closed:
            c.closed[peer.rawValue] = true
        }
        for o in outputs { apply(o, &c, time: time, statistics: &statistics, emit: emit) }
        if case .closed = event {
            let flow = peer == .client ? c.clientKey : c.clientKey.reversed
            c.framers[peer.rawValue].close(emit: { Self.frame($0, flow: flow, statistics: &statistics, emit: emit) })
            if c.closed[0] && c.closed[1] {
                footprint += Self.footprint(of: c) - before
                connections[clientKey] = c
                end(clientKey, statistics: &statistics, emit: emit)
                return
            }
        }
        footprint += Self.footprint(of: c) - before
        connections[clientKey] = c
    }

    /// The capture ended: connections still open give what they have and their summaries.
    mutating func finish(statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        for key in connections.keys.sorted(by: { connections[$0]!.lastFrame < connections[$1]!.lastFrame }) {
            end(key, statistics: &statistics, emit: emit)
        }
    }

    private mutating func end(_ clientKey: TCPFlowKey, statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        guard var c = connections.removeValue(forKey: clientKey) else { return }
        footprint -= Self.footprint(of: c)
        if c.decoder.hadWrongKeys && withWrongKeys.count < Self.maxConnections { withWrongKeys.insert(clientKey) }
        for peer in [TLSPeer.client, .server] where !c.closed[peer.rawValue] {
            let flow = peer == .client ? c.clientKey : c.clientKey.reversed
            c.framers[peer.rawValue].close(emit: { Self.frame($0, flow: flow, statistics: &statistics, emit: emit) })
        }
        for d in c.decoder.summary(remedy: remedy) { emit(.diagnostic(d)) }
    }

    func apply(_ output: TLSConnectionDecoder.Output, _ c: inout Connection, time: Timestamp,
                       statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        switch output {
        case .applicationData(let plain, let peer, let frame):
            let flow = peer == .client ? c.clientKey : c.clientKey.reversed
            c.framers[peer.rawValue].append(plain[...], frame: frame, time: time) { Self.frame($0, flow: flow, statistics: &statistics, emit: emit) }
        case .lost(let peer, let frame, let bytes, let truncated):
            let flow = peer == .client ? c.clientKey : c.clientKey.reversed
            c.framers[peer.rawValue].gap(missing: bytes, frame: frame, truncatedByCapture: truncated) { Self.frame($0, flow: flow, statistics: &statistics, emit: emit) }
        case .unread:
            // The frames are booked per connection by the extractor's `FrameAccounting`
            // (read once the connection yields SIP, else TLS without keys): not counted here.
            break
        case .diagnostic(let d):
            emit(.diagnostic(d))
        }
    }

    /// A message framed out of decrypted bytes, as the extractor hands it on.
    static func frame(_ output: SIPStreamFramer.Output, flow: TCPFlowKey, statistics: inout ExtractionStatistics,
                              emit: (SIPMessageExtractor.Output) -> Void) {
        switch output {
        case .message(let m):
            statistics.sipMessages += 1
            emit(.message(CapturedMessage(message: m.message, frame: m.frame, frames: m.frames, time: m.time,
                                          transport: .tls, source: flow.source, destination: flow.destination,
                                          isTruncatedByCapture: m.isTruncatedByCapture,
                                          diagnostics: m.diagnostics, effectiveBody: m.effectiveBody)))
        case .diagnostic(var d):
            // The framer speaks of TCP; here the bytes lost are records that could not be read.
            d.message = d.message.replacing("of the TCP stream were never captured", with: "of the TLS stream could not be read")
            d.message += " (TLS \(flow))"
            emit(.diagnostic(d))
        }
    }
}
