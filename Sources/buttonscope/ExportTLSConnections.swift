import TLSKeys
import Capture
import Pipeline
import Rendering

/// `export` and TLS: a kept record of a TLS connection is readable only with the connection's
/// handshake and every record before it (record sequence numbers enter the decryption), and only
/// with its keys. So for each TLS connection that has keys and a kept frame, the export keeps the
/// connection's frames from its first one up to its last kept one, and embeds the key log lines of
/// those connections' client randoms in a Decryption Secrets Block (pcapng).
struct ExportTLSConnections {
    struct Connection {
        var firstFrame: Int
        var clientRandom: [UInt8]?
        /// The last frame the selection keeps (pass 1b), nil when it keeps none.
        var lastKept: Int?
    }

    /// Connections by their two endpoints (either direction). Bounded: a capture of many short
    /// TCP flows stops adding after `maxConnections` (those are exported as selected, no more).
    private(set) var connections: [TCPFlowKey: Connection] = [:]
    static let maxConnections = 100_000

    /// Both directions of a connection under one key.
    static func key(_ segment: TCPSegment) -> TCPFlowKey {
        let k = TCPFlowKey(source: segment.source, destination: segment.destination)
        return segment.source.description < segment.destination.description ? k : k.reversed
    }

    /// The TCP segment a frame carries (unfragmented IP only: TLS records ride whole segments).
    static func segment(_ frame: CapturedFrame) -> TCPSegment? {
        guard case .success(let network) = LinkDecoder.decode(frame.bytes[...], linkType: frame.linkType),
              case .datagram(let d) = IPDecoder.decode(network, frame: frame.number, frameTruncated: frame.isTruncatedByCapture),
              case .tcp(let s) = TransportDecoder.decode(d, frame: frame.number) else { return nil }
        return s
    }

    /// Pass 1: every frame, to learn each connection's first frame and client random.
    mutating func note(_ frame: CapturedFrame) {
        guard let s = Self.segment(frame) else { return }
        let key = Self.key(s)
        if connections[key] == nil {
            guard connections.count < Self.maxConnections else { return }
            connections[key] = Connection(firstFrame: frame.number)
        }
        if connections[key]!.clientRandom == nil, !s.payload.isEmpty, let random = TLSClientHello.clientRandom(s.payload) {
            connections[key]!.clientRandom = random
        }
    }

    /// Drops connections that are not TLS with keys in `secrets`: only those are widened.
    mutating func keepUnlockable(_ secrets: TLSSecrets) {
        connections = connections.filter { $0.value.clientRandom.map { secrets.byClientRandom[$0] != nil } ?? false }
    }

    var isEmpty: Bool { connections.isEmpty }

    /// Pass 1b: a kept frame marks its connection.
    mutating func noteKept(_ frame: CapturedFrame) {
        guard let s = Self.segment(frame) else { return }
        let key = Self.key(s)
        guard let c = connections[key] else { return }
        connections[key]!.lastKept = max(c.lastKept ?? 0, frame.number)
    }

    /// Pass 2: whether a frame the selection did not take belongs to a widened connection.
    func widens(_ frame: CapturedFrame) -> Bool {
        guard let s = Self.segment(frame), let c = connections[Self.key(s)], let last = c.lastKept else { return false }
        return frame.number >= c.firstFrame && frame.number <= last
    }

    /// The client randoms of the connections the export holds.
    var keptClientRandoms: [[UInt8]] {
        connections.values.filter { $0.lastKept != nil }.sorted { $0.firstFrame < $1.firstFrame }.compactMap(\.clientRandom)
    }
}
