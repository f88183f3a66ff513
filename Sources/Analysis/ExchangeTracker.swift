import SIPCapture
import Base
import Capture
import SIP

/// Pairs requests with their answers the RFC 3261 way (§17.1.3): top Via branch + CSeq method,
/// the answer travelling back from the request's destination to its source. Requests whose branch
/// lacks the `z9hG4bK` magic cookie come from RFC 2543 peers and are matched by Call-ID + CSeq.
///
/// Feed it messages and ICMP errors in capture order, then `finish`. Transactions are retired
/// once they can no longer change (Timer F after their last copy), so the open table stays small.
/// ACK is not a transaction of its own and is skipped; INVITE is paired the same simple way.
public struct ExchangeTracker {
    /// How a request and its responses find each other.
    struct Key: Hashable {
        enum ID: Hashable {
            case branch(String)
            case legacy(callID: String, cseq: UInt32)
        }
        var id: ID
        var method: String
    }

    public let timerF: Double
    /// Open transactions by handle, with their keys and the order of their last activity.
    private var open = OpenTransactions<Key>()
    private var retired: [Exchange] = []
    private var lastPrune: Timestamp?
    private var lastSeen: Timestamp?
    private var requestsSeen = 0
    /// At most this many transactions stay open: past it (a flood of requests inside Timer F's
    /// window) the least recently active retire early, their outcome as of then. Memory stays bounded.
    public var maxOpen = 10_000
    /// Responses that matched no request (the capture began after it, or a one-sided capture).
    public private(set) var unmatchedResponses: [CapturedMessage] = []
    /// ICMP errors that quote no request seen in the capture.
    public private(set) var unmatchedUnreachables: [ICMPUnreachable] = []
    /// Caps what is kept of the unmatched lists: hostile captures must not grow it without bound.
    private let unmatchedLimit = 1000

    public init(timerF: Double = 32) {
        self.timerF = timerF
    }

    static func key(for m: SIPMessage) -> Key? {
        guard let cseq = m.cseq else { return nil }
        let method = cseq.method.tokenUppercased
        if let branch = m.topViaBranch, branch.hasPrefix("z9hG4bK") {
            return Key(id: .branch(branch), method: method)
        }
        guard let callID = m.callID else { return nil }
        return Key(id: .legacy(callID: callID, cseq: cseq.number), method: method)
    }

    public mutating func add(_ message: CapturedMessage) {
        prune(now: message.time)
        if lastSeen.map({ message.time > $0 }) ?? true { lastSeen = message.time }
        defer { if open.count > maxOpen { retireLeastActive() } }
        let msg = message.message
        guard let key = Self.key(for: msg) else { return }
        if let method = msg.method {
            let upper = method.tokenUppercased
            if upper == "ACK" || upper != key.method { return }
            addRequest(message, key: key)
        } else if let status = msg.statusCode {
            addResponse(message, status: status, key: key)
        }
    }

    private mutating func addRequest(_ m: CapturedMessage, key: Key) {
        if let h = open.newest(of: key, where: { $0.exchange.request.source.address == m.source.address
                                                 && $0.exchange.request.destination.address == m.destination.address }) {
            open.update(h) { $0.retransmissions.append((frame: m.frame, time: m.time)) }
            open.touch(h, at: m.time)
            return
        }
        var exchange = Exchange(method: key.method, request: m, outcome: .unknown)
        requestsSeen += 1
        exchange.trackerOrder = requestsSeen
        open.insert(exchange, key: key, time: m.time)
    }

    private mutating func addResponse(_ m: CapturedMessage, status: Int, key: Key) {
        guard let latest = open.newest(of: key) else {
            if unmatchedResponses.count < unmatchedLimit { unmatchedResponses.append(m) }
            return
        }
        // Prefer the request this answer travels back along; a NAT or a multi-homed host may
        // break that, so fall back to the latest request with the same key.
        let h = open.newest(of: key, where: { $0.exchange.request.destination.address == m.source.address
                                               && $0.exchange.request.source.address == m.destination.address })
            ?? latest
        open.update(h) {
            $0.responses.append(ExchangeResponse(status: status, reason: m.message.reasonPhrase ?? "",
                                                 frame: m.frame, time: m.time, message: m))
        }
        open.touch(h, at: m.time)
    }

    /// An ICMP unreachable quotes the datagram it answers: its source and destination endpoints
    /// name the request (the latest one sent on that path before the error).
    public mutating func add(_ icmp: ICMPUnreachable, time: Timestamp) {
        var best: (handle: Int, time: Timestamp)?
        for h in open.handles {
            let o = open.slots[h]!
            let r = o.exchange.request
            let sameTransport = (icmp.originalTransport == 17 && r.transport == .udp)
                || (icmp.originalTransport == 6 && r.transport == .tcp)
            guard sameTransport, r.source == icmp.originalSource, r.destination == icmp.originalDestination else { continue }
            let lastCopy = ([r.time] + o.exchange.retransmissions.map(\.time)).filter { $0 <= time }.max()
            guard let sent = lastCopy else { continue }
            if let b = best, b.time >= sent { continue }
            best = (h, sent)
        }
        guard let best else {
            if unmatchedUnreachables.count < unmatchedLimit { unmatchedUnreachables.append(icmp) }
            return
        }
        open.update(best.handle) { $0.unreachable.append(icmp) }
        open.touch(best.handle, at: max(open.slots[best.handle]!.lastActivity, time))
    }

    /// Whether `add` makes (or extends) an exchange of this request: a streaming caller waits for
    /// those, and need not wait for the rest.
    public static func tracks(_ request: SIPMessage) -> Bool {
        guard let method = request.method, let key = key(for: request) else { return false }
        let upper = method.tokenUppercased
        return upper != "ACK" && upper == key.method
    }

    /// Exchanges retired so far (quiet for longer than Timer F: nothing can change them), with their
    /// outcomes, handed over once and forgotten. A streaming caller that takes them as it goes
    /// keeps memory bounded by Timer F's window, not by the capture; `finish` gives the rest.
    public mutating func takeSettled() -> [Exchange] {
        guard !retired.isEmpty else { return [] }
        var settled = retired
        retired = []
        // Retired quiet for longer than Timer F (or early, under a flood): their outcome as of the
        // latest message seen, which for the first kind is final.
        let now = lastSeen ?? Timestamp(seconds: 0, nanoseconds: 0)
        for i in settled.indices { settled[i].outcome = Self.outcome(of: settled[i], captureEnd: now, timerF: timerF) }
        return settled
    }

    /// Every exchange seen, in request frame order, with its outcome decided as of `captureEnd`.
    public mutating func finish(captureEnd: Timestamp) -> [Exchange] {
        var all = retired
        retired = []
        all += open.removeAll()
        for i in all.indices { all[i].outcome = Self.outcome(of: all[i], captureEnd: captureEnd, timerF: timerF) }
        return all.sorted(by: Self.requestOrder)
    }

    /// Request frame order; within one frame, the order the requests were seen.
    public static func requestOrder(_ a: Exchange, _ b: Exchange) -> Bool {
        a.request.frame != b.request.frame ? a.request.frame < b.request.frame : a.trackerOrder < b.trackerOrder
    }

    /// The request frame of the oldest transaction still open (nil when none is): nothing settled
    /// later than it may be handed on in frame order yet. A scan of the open table.
    public var oldestOpenFrame: Int? {
        var oldest: Int?
        for case let o? in open.slots where oldest.map({ o.exchange.request.frame < $0 }) ?? true { oldest = o.exchange.request.frame }
        return oldest
    }

    /// accepted (2xx) · rejected (≥300) · unanswered (retransmitted with no answer at all, an ICMP
    /// error, or Timer F expired before the capture ended) · unknown (the capture ended first).
    static func outcome(of e: Exchange, captureEnd: Timestamp, timerF: Double) -> ExchangeOutcome {
        if let status = e.finalStatus { return status < 300 ? .accepted : .rejected }
        // RFC 3261 §8.1.3.1: a transport error (an ICMP unreachable) ends the transaction unanswered.
        if !e.unreachable.isEmpty { return .unanswered }
        if !e.retransmissions.isEmpty && e.responses.isEmpty { return .unanswered }
        if captureEnd.seconds(since: e.request.time) > timerF { return .unanswered }
        return .unknown
    }

    /// Retires transactions quiet for longer than Timer F plus a margin: nothing can change them now.
    private mutating func prune(now: Timestamp) {
        // Every second of capture time: a transaction retires as soon as it has been quiet for the
        // horizon, so a streaming reader holds ~40 s of traffic, not up to 72.
        if let last = lastPrune, now.seconds(since: last) < 1 { return }
        lastPrune = now
        let horizon = timerF + 8
        // Least active first: stop at the first that is still within the horizon.
        while let (h, last) = open.leastActive(), now.seconds(since: last) > horizon {
            retired.append(open.remove(h))
        }
    }

    /// Retires the least recently active sixteenth of `maxOpen` at once (the table is full).
    private mutating func retireLeastActive() {
        let batch = max(1, maxOpen / 16)
        for _ in 0..<batch {
            guard let (h, _) = open.leastActive() else { break }
            retired.append(open.remove(h))
        }
    }
}
