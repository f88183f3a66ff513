import SIPCapture
import Base
import Capture
import SIP

/// The exchange tracker's pairing, decided as packets arrive instead of at the end: a live view
/// prints an answer the moment it comes, naming the request it answers. Same keys as
/// `ExchangeTracker` (top Via branch + CSeq method, or Call-ID + CSeq for RFC 2543 peers).
///
/// Bounded: requests are forgotten Timer F plus a margin after their last activity, and the table
/// never holds more than `limit` of them.
public struct LiveExchanges {
    public struct Pending: Sendable {
        public var request: CapturedMessage
        public var retransmissions = 0
        public var finalStatus: Int?
        public var lastActivity: Timestamp
        /// Timer F ran out or an ICMP error came: reported once.
        public var givenUp = false
        /// Set when the caller shows the request (`add`'s `shown`): the phone's user it was shown for.
        /// Its later copies and answers are shown by this, not by reading the request again, so an
        /// answered request is kept slim (see `slim`).
        public var shown: String??
    }

    /// What a message did to the table.
    public enum Event {
        /// A new request: the first copy.
        case request(CapturedMessage)
        /// Another copy of a request already seen (same key, same path).
        case retransmission(CapturedMessage, of: Pending)
        /// An answer to a request in the table; `final` when ≥ 200 and the first final one.
        case answer(CapturedMessage, to: Pending, isFirstFinal: Bool)
        /// A response to nothing we saw, or a message with no transaction key.
        case unmatched
    }

    /// A transaction key with its hash worked out once. A full table (a busy fleet) removes an entry
    /// per new request, and a removal rehashes the keys that follow it in the dictionary: with the
    /// strings hashed each time, that was a tenth of a collector's watch loop.
    struct Key: Hashable {
        let key: ExchangeTracker.Key
        let hash: Int

        init(_ key: ExchangeTracker.Key) {
            self.key = key
            self.hash = key.hashValue
        }

        static func == (a: Key, b: Key) -> Bool { a.hash == b.hash && a.key == b.key }
        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    public let timerF: Double
    public let limit: Int
    private var table: [Key: Pending] = [:]
    /// Keys in the order they were last active, for eviction in O(1) amortized: a scan of the
    /// table per new request made a full table (a busy fleet) quadratic. An entry whose
    /// request moved on since is re-queued at its new time when it reaches the front.
    private var ages: [(key: Key, stamp: Timestamp)] = []
    private var agesHead = 0
    /// New requests in arrival order, for Timer F: `expire` looks only at the front, so a tick costs
    /// what expired, not a walk over the whole table (10,000 copies ten times a second on a fleet).
    private var started: [(key: Key, time: Timestamp)] = []
    private var startedHead = 0

    /// When set, requests the table lets go are kept in `retired` instead of freed here, for the
    /// caller to free elsewhere: a collector frees them on the thread that made them (a message is
    /// a dozen allocations, and freeing them where they were made is cheaper and off the busy thread).
    public var keepsRetired = false
    public private(set) var retired: [Pending] = []

    /// The requests let go since the last call (see `keepsRetired`).
    public mutating func takeRetired() -> [Pending] {
        defer { retired = [] }
        return retired
    }

    private mutating func remove(at i: Dictionary<Key, Pending>.Index) {
        let gone = table.remove(at: i).value
        if keepsRetired { retired.append(gone) }
    }

    /// What an answered request is still asked for: its frame, time, endpoints, transport, agent
    /// and Call-ID (the lines of its later copies and answers), not its body. A busy fleet fills the
    /// table with answered requests: whole, they were a fifth of a collector's memory. The header
    /// section stays as read (one buffer, `HeaderLines`): a copy of the Call-ID alone cost a twentieth
    /// of the watch loop, for a few hundred bytes a request.
    static func slim(_ m: CapturedMessage) -> CapturedMessage {
        var msg = m.message
        msg.body = []
        return CapturedMessage(message: msg,
                               frame: m.frame, frames: m.frames, time: m.time, transport: m.transport, source: m.source,
                               destination: m.destination, isTruncatedByCapture: m.isTruncatedByCapture, diagnostics: [],
                               effectiveBody: [], tunnel: m.tunnel, hep: m.hep)
    }

    public init(timerF: Double = 32, limit: Int = 10_000) {
        self.timerF = timerF
        self.limit = limit
    }

    /// `shown`: asked of a new request (not of its copies) before it is kept: the phone's user when
    /// the caller shows it, nil when not (see `Pending.shown`).
    public mutating func add(_ m: CapturedMessage, shown: (CapturedMessage) -> String?? = { _ in nil }) -> Event {
        let msg = m.message
        guard let found = ExchangeTracker.key(for: msg) else { return .unmatched }
        let key = Key(found)
        if let method = msg.method {
            if method.tokenUppercased == "ACK" || method.tokenUppercased != found.method { return .unmatched }
            // Changed in place: a copy out and back in would retain and release the whole request.
            if let i = table.index(forKey: key), table.values[i].request.source.address == m.source.address,
               table.values[i].request.destination.address == m.destination.address {
                table.values[i].retransmissions += 1
                table.values[i].lastActivity = m.time
                return .retransmission(m, of: table.values[i])
            }
            if table.count >= limit { evictOldest() }
            table[key] = Pending(request: m, lastActivity: m.time, shown: shown(m))
            ages.append((key, m.time))
            started.append((key, m.time))
            trimAges()
            trimStarted()
            return .request(m)
        }
        guard let status = msg.statusCode, let i = table.index(forKey: key) else { return .unmatched }
        let first = status >= 200 && table.values[i].finalStatus == nil
        if first { table.values[i].finalStatus = status }
        table.values[i].lastActivity = m.time
        let event = Event.answer(m, to: table.values[i], isFirstFinal: first)
        if first {
            let whole = table.values[i].request
            table.values[i].request = Self.slim(whole)
            // The whole request is freed where the retired ones are (see `keepsRetired`).
            if keepsRetired { retired.append(Pending(request: whole, lastActivity: m.time)) }
        }
        return event
    }

    /// The request an ICMP error quotes (same transport and endpoints), marked given up.
    public mutating func add(_ icmp: ICMPUnreachable) -> Pending? {
        let udp = icmp.originalTransport == 17
        guard let (key, p) = table.first(where: { _, p in
            p.finalStatus == nil && !p.givenUp && (p.request.transport == .udp) == udp
                && p.request.source == icmp.originalSource && p.request.destination == icmp.originalDestination
        }) else { return nil }
        table[key]?.givenUp = true
        return p
    }

    /// Requests whose Timer F ran out at `now` with no final answer (each reported once), and
    /// forgets what can no longer change.
    public mutating func expire(now: Timestamp) -> [Pending] {
        var expired: [Pending] = []
        while startedHead < started.count, now.seconds(since: started[startedHead].time) > timerF {
            let (key, time) = started[startedHead]
            startedHead += 1
            // The entry may be gone, answered, or a later request under the same key.
            guard let p = table[key], p.request.time == time, p.finalStatus == nil, !p.givenUp else { continue }
            table[key]?.givenUp = true
            expired.append(p)
        }
        trimStarted()
        // Forget what has been quiet past Timer F and a margin, oldest activity first.
        while agesHead < ages.count, now.seconds(since: ages[agesHead].stamp) > timerF + 8 {
            let (key, stamp) = ages[agesHead]
            agesHead += 1
            guard let i = table.index(forKey: key) else { continue }
            let last = table.values[i].lastActivity
            if stamp < last { ages.append((key, last)); continue }
            remove(at: i)
        }
        trimAges()
        return expired.sorted { $0.request.frame < $1.request.frame }
    }

    /// Requests waiting in the Timer F queue (for the bound's test).
    var timerQueueLength: Int { started.count - startedHead }

    /// Requests still waiting for a final answer.
    public var waiting: Int { table.values.filter { $0.finalStatus == nil && !$0.givenUp }.count }

    private mutating func evictOldest() {
        while agesHead < ages.count {
            let (key, stamp) = ages[agesHead]
            agesHead += 1
            // By index: a copy of the entry out of the table retained and released a whole message.
            guard let i = table.index(forKey: key) else { continue }
            let last = table.values[i].lastActivity
            if stamp < last { ages.append((key, last)); continue }
            let p = table.values[i]
            if p.shown != nil && p.finalStatus == nil && !p.givenUp { evictedShown.append(p.request.frame) }
            remove(at: i)
            break
        }
        trimAges()
    }

    /// Frames of shown requests let go unanswered to make room (`limit`): no answer or Timer F
    /// will be reported for them, so the caller forgets them too (or its own record grows for good).
    public private(set) var evictedShown: [Int] = []

    public mutating func takeEvictedShown() -> [Int] {
        defer { evictedShown = [] }
        return evictedShown
    }

    /// Requests evicted before their Timer F stay in `started` until they reach the front: dropped
    /// here, so a fleet sending faster than the table holds does not grow it for 32 s of requests.
    private mutating func trimStarted() {
        if startedHead > 1024, startedHead * 2 > started.count {
            started.removeFirst(startedHead)
            startedHead = 0
        }
        if started.count - startedHead > 4 * max(limit, 1024) {
            started = started[startedHead...].filter { table[$0.key]?.request.time == $0.time }
            startedHead = 0
        }
    }

    /// Keys forgotten by expire() stay in `ages` until they reach the front: dropped here, so
    /// `ages` stays within a few times the table's bound.
    private mutating func trimAges() {
        if agesHead > 1024, agesHead * 2 > ages.count {
            ages.removeFirst(agesHead)
            agesHead = 0
        }
        if ages.count - agesHead > 4 * max(limit, 1024) {
            ages = ages[agesHead...].filter { table[$0.key] != nil }
            agesHead = 0
        }
    }
}
