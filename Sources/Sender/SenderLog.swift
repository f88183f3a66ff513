import Base
import Foundation
import SIP

/// One message the sender sent or received, with when and where: the replay's evidence.
public struct SenderLogEntry: Sendable {
    public enum Direction: String, Sendable { case sent, received }

    public var direction: Direction
    /// Seconds since the epoch.
    public var time: Double
    public var transport: SIPTransportKind
    public var local: Endpoint
    public var remote: Endpoint
    /// The exact bytes on the wire (TLS: the plaintext).
    public var bytes: [UInt8]
    /// Retransmission of an earlier request (UDP Timer E).
    public var isRetransmission: Bool

    public init(direction: Direction, time: Double, transport: SIPTransportKind, local: Endpoint, remote: Endpoint,
                bytes: [UInt8], isRetransmission: Bool = false) {
        self.direction = direction
        self.time = time
        self.transport = transport
        self.local = local
        self.remote = remote
        self.bytes = bytes
        self.isRetransmission = isRetransmission
    }

    /// The first line, for a one-line log (`MESSAGE sip:44@… SIP/2.0`, `SIP/2.0 200 OK`).
    public var startLine: String {
        let line = bytes.prefix { $0 != 0x0d && $0 != 0x0a }
        return String(decoding: line.prefix(200), as: UTF8.self)
    }
}

/// Thread-safe, append-only list of what went over the wire. Bounded: past `limit` entries the
/// oldest are dropped (a long-running phone must not grow without end).
// @unchecked: `entries` and `dropped` are read and written under `lock` only.
public final class SenderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [SenderLogEntry] = []
    private var dropped = 0
    public let limit: Int

    public init(limit: Int = 100_000) { self.limit = max(1, limit) }

    func append(_ entry: SenderLogEntry) {
        lock.withLock {
            entries.append(entry)
            if entries.count > limit {
                entries.removeFirst(entries.count - limit)
                dropped += 1
            }
        }
    }

    /// TLS connections as they crossed the socket (encrypted), bounded like `all`.
    private var wireEntries: [SenderLogEntry] = []

    func appendWire(_ entry: SenderLogEntry) {
        lock.withLock {
            wireEntries.append(entry)
            if wireEntries.count > limit {
                wireEntries.removeFirst(wireEntries.count - limit)
                dropped += 1
            }
        }
    }

    public var all: [SenderLogEntry] { lock.withLock { entries } }
    public var wire: [SenderLogEntry] { lock.withLock { wireEntries } }
    public var droppedCount: Int { lock.withLock { dropped } }
}
