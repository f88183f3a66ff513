import Base

/// One direction of a TCP connection.
public struct TCPFlowKey: Hashable, Sendable, CustomStringConvertible {
    public var source: Endpoint
    public var destination: Endpoint
    /// The tunnels the flow came through (nil when plain): two tunnels may carry the same
    /// private addresses. Direction-independent, so `reversed` meets the answer's flow.
    public var tunnel: TunnelPath?
    public init(source: Endpoint, destination: Endpoint, tunnel: TunnelPath? = nil) {
        self.source = source
        self.destination = destination
        self.tunnel = tunnel
    }
    public var reversed: TCPFlowKey { TCPFlowKey(source: destination, destination: source, tunnel: tunnel) }

    /// A fixed total order (addresses, then ports, then tunnel), for deterministic tie-breaking.
    public func precedes(_ other: TCPFlowKey) -> Bool {
        if source != other.source { return source.precedes(other.source) }
        if destination != other.destination || (tunnel == nil && other.tunnel == nil) { return destination.precedes(other.destination) }
        return (tunnel?.description ?? "") < (other.tunnel?.description ?? "")
    }
    public var description: String { tunnel.map { "\(source) → \(destination) in \($0)" } ?? "\(source) → \(destination)" }
}

/// What a direction's byte stream did, in order.
public enum TCPStreamEvent {
    /// Bytes in sequence order, from the frame that carried them.
    case data(ArraySlice<UInt8>, frame: Int)
    /// Bytes that will never come: not captured, or cut by the snap length. `frame` is the
    /// first frame after the hole.
    case gap(missing: Int, frame: Int, truncatedByCapture: Bool)
    /// The direction ended (FIN, RST, idle, eviction or end of capture).
    case closed
}

/// Per-direction TCP reassembly by sequence number, gopacket style: in-order bytes go straight
/// to the consumer, out-of-order segments wait in a bounded buffer, and a hole that will not
/// fill (the peer acknowledged past it, the buffer is full, the stream ended) becomes a `.gap`
/// event instead of a stall.
public struct TCPReassembler {
    private struct Waiting: Comparable {
        var sequence: UInt32
        var bytes: ArraySlice<UInt8>
        var length: Int
        var frame: Int
        /// Where the segment starts in the unwrapped stream (see `Direction.position`), then the
        /// order of arrival: the heap's order, so equal starts leave in the order they came.
        var position: Int64 = 0
        var arrival: Int = 0

        static func < (a: Waiting, b: Waiting) -> Bool { (a.position, a.arrival) < (b.position, b.arrival) }
        static func == (a: Waiting, b: Waiting) -> Bool { (a.position, a.arrival) == (b.position, b.arrival) }
        /// Sequence and length: a segment seen twice waits once.
        var identity: UInt64 { UInt64(sequence) << 32 | UInt64(UInt32(truncatingIfNeeded: length)) }
    }

    private struct FrameMark: Comparable {
        var frame: Int
        var arrival: Int
        static func < (a: FrameMark, b: FrameMark) -> Bool { (a.frame, a.arrival) < (b.frame, b.arrival) }
    }

    private struct Direction {
        var next: UInt32?
        /// `next` unwrapped: it only moves forward, so waiting segments sort by it in a heap
        /// (insert and take in O(log n)) instead of a list re-sorted on every segment.
        var position: Int64 = 0
        var waiting = MinHeap<Waiting>()
        var waitingIdentities: Set<UInt64> = []
        var arrivals = 0
        /// The frames of the waiting segments, smallest first, so the lowest is known without a
        /// scan; entries of segments already delivered are dropped when they reach the top.
        var frameMarks = MinHeap<FrameMark>()
        var liveArrivals: Set<Int> = []
        var waitingBytes = 0
        var lastSeen: Timestamp
        var finAt: UInt32?
        var ignored = false
    }

    public var maxWaitingPerStream: Int
    public var maxWaitingTotal: Int
    public var maxStreams: Int
    public var idleTimeout: Double
    private var streams: [TCPFlowKey: Direction] = [:]
    private var waitingTotal = 0

    public init(maxWaitingPerStream: Int = 1 << 20, maxWaitingTotal: Int = 32 << 20,
                maxStreams: Int = 65_536, idleTimeout: Double = 300) {
        self.maxWaitingPerStream = maxWaitingPerStream
        self.maxWaitingTotal = maxWaitingTotal
        self.maxStreams = maxStreams
        self.idleTimeout = idleTimeout
    }

    public var streamCount: Int { streams.count }
    public var bytesWaiting: Int { waitingTotal }

    /// The lowest frame among segments waiting for a hole to fill, or nil. A scan over every
    /// direction (each knows its lowest at once): callers ask now and then, not per packet.
    public var lowestWaitingFrame: Int? {
        guard waitingTotal > 0 else { return nil }
        var lowest: Int?
        for d in streams.values where !d.waiting.isEmpty {
            if let f = d.frameMarks.min?.frame, lowest == nil || f < lowest! { lowest = f }
        }
        return lowest
    }

    /// Stop buffering a direction whose bytes nobody wants (not SIP): its segments are dropped.
    public mutating func ignore(_ key: TCPFlowKey) {
        guard var d = streams[key] else { return }
        waitingTotal -= d.waitingBytes
        d.waiting.removeAll()
        d.waitingIdentities = []
        d.frameMarks.removeAll()
        d.liveArrivals = []
        d.waitingBytes = 0
        d.ignored = true
        streams[key] = d
    }

    public mutating func add(_ s: TCPSegment, time: Timestamp, emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        let key = TCPFlowKey(source: s.source, destination: s.destination, tunnel: s.tunnel)
        // The peer's acknowledgment tells us what it received: a hole below it will never fill.
        if s.ack, Self.holeBelow(streams[key.reversed], acknowledgment: s.acknowledgment) {
            flushHole(key.reversed, emit: emit)
        }
        if s.rst {
            if streams[key] != nil { close(key, emit: emit) }
            return
        }
        // The direction is taken out of the table while it changes, so its waiting segments are
        // changed in place, never copied (copy on write) once per segment.
        var d: Direction
        if streams[key] != nil {
            if s.syn, let next = streams[key]?.next, s.sequence &+ 1 != next {
                // Ports reused by a new connection: end the old stream first.
                close(key, emit: emit)
                d = Direction(lastSeen: time)
            } else {
                d = streams.removeValue(forKey: key)!
            }
        } else {
            if streams.count >= maxStreams { evictOldest(emit: emit) }
            d = Direction(lastSeen: time)
        }
        d.lastSeen = time
        if d.ignored {
            streams[key] = s.fin ? nil : d
            return
        }
        if d.next == nil {
            // A stream without its SYN (capture began mid-connection) starts where we first see it.
            d.next = s.syn ? s.sequence &+ 1 : s.sequence
        }
        let dataStart = s.syn ? s.sequence &+ 1 : s.sequence
        if s.fin { d.finAt = dataStart &+ UInt32(truncatingIfNeeded: s.payloadLength) }
        if s.payloadLength > 0 {
            var item = Waiting(sequence: dataStart, bytes: s.payload, length: s.payloadLength, frame: s.frame)
            let rel = Int32(bitPattern: dataStart &- d.next!)
            if rel <= 0 {
                deliver(item, into: &d, emit: { emit(key, $0) })
                drain(&d, emit: { emit(key, $0) })
            } else if d.waitingIdentities.insert(item.identity).inserted {
                item.position = d.position + Int64(rel)
                item.arrival = d.arrivals
                d.arrivals += 1
                d.waiting.insert(item)
                d.frameMarks.insert(FrameMark(frame: item.frame, arrival: item.arrival))
                d.liveArrivals.insert(item.arrival)
                d.waitingBytes += item.bytes.count
                waitingTotal += item.bytes.count
            }
        }
        if d.waitingBytes > maxWaitingPerStream { flushHole(in: &d, key, emit: emit) }
        streams[key] = d
        if waitingTotal > maxWaitingTotal { flushLargest(emit: emit) }
        if let fin = streams[key]?.finAt, let next = streams[key]?.next, streams[key]?.waiting.isEmpty == true,
           Int32(bitPattern: next &- fin) >= 0 {
            close(key, emit: emit)
        }
    }

    /// Ends directions idle for longer than `idleTimeout` seconds of capture time.
    public mutating func expire(now: Timestamp, emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        let idle = streams.filter { now.seconds(since: $0.value.lastSeen) > idleTimeout }.map(\.key)
        for key in idle { close(key, emit: emit) }
    }

    /// The capture ended: every direction gives what it has and closes.
    public mutating func finish(emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        // Oldest first, ties in a fixed order (by address and port, without making text: there may
        // be 100 000 streams).
        let order = streams.map { (time: $0.value.lastSeen, key: $0.key) }
            .sorted { $0.time < $1.time || ($0.time == $1.time && $0.key.precedes($1.key)) }
        for entry in order { close(entry.key, emit: emit) }
    }

    private func deliver(_ item: Waiting, into d: inout Direction, emit: (TCPStreamEvent) -> Void) {
        let next = d.next!
        let skip = Int(Int32(bitPattern: next &- item.sequence))
        // Wholly a retransmission; or exactly 2^31 away, where sequence arithmetic cannot tell
        // behind from ahead (a hostile stream, not a real one): dropped either way.
        guard skip >= 0, skip < item.length else { return }
        if skip < item.bytes.count {
            emit(.data(item.bytes.dropFirst(skip), frame: item.frame))
        }
        let missing = item.length - max(skip, item.bytes.count)
        if missing > 0 {
            emit(.gap(missing: missing, frame: item.frame, truncatedByCapture: true))
        }
        Self.advance(&d, to: item.sequence &+ UInt32(truncatingIfNeeded: item.length))
    }

    /// Moves `next` forward and its unwrapped `position` with it.
    private static func advance(_ d: inout Direction, to next: UInt32) {
        if let old = d.next { d.position += Int64(Int32(bitPattern: next &- old)) }
        d.next = next
    }

    private mutating func drain(_ d: inout Direction, emit: (TCPStreamEvent) -> Void) {
        while let first = d.waiting.min, first.position <= d.position {
            d.waiting.popMin()
            d.waitingIdentities.remove(first.identity)
            d.liveArrivals.remove(first.arrival)
            while let top = d.frameMarks.min, !d.liveArrivals.contains(top.arrival) { d.frameMarks.popMin() }
            d.waitingBytes -= first.bytes.count
            waitingTotal -= first.bytes.count
            deliver(first, into: &d, emit: emit)
        }
    }

    /// A direction whose bytes are wanted waits for segments below `acknowledgment`: the peer got
    /// them, so the hole before them will never fill.
    private static func holeBelow(_ d: Direction?, acknowledgment: UInt32) -> Bool {
        guard let d, !d.ignored, let next = d.next, !d.waiting.isEmpty else { return false }
        return Int32(bitPattern: acknowledgment &- next) > 0
    }

    /// Gives up on the hole before the first waiting segment and goes on from there.
    private mutating func flushHole(_ key: TCPFlowKey, emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        guard streams[key]?.waiting.isEmpty == false, var d = streams.removeValue(forKey: key) else { return }
        flushHole(in: &d, key, emit: emit)
        streams[key] = d
    }

    private mutating func flushHole(in d: inout Direction, _ key: TCPFlowKey, emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        guard let first = d.waiting.min, let next = d.next else { return }
        let missing = Int(Int32(bitPattern: first.sequence &- next))
        if missing > 0 {
            emit(key, .gap(missing: missing, frame: first.frame, truncatedByCapture: false))
            Self.advance(&d, to: first.sequence)
        }
        drain(&d, emit: { emit(key, $0) })
    }

    private mutating func flushLargest(emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        while waitingTotal > maxWaitingTotal,
              let largest = streams.max(by: { $0.value.waitingBytes < $1.value.waitingBytes }).map({ (key: $0.key, bytes: $0.value.waitingBytes) }),
              largest.bytes > 0 {
            flushHole(largest.key, emit: emit)
            if streams[largest.key]?.waitingBytes == largest.bytes { break }
        }
    }

    /// Closes the least recently seen directions: a sixteenth of the table at once, so a flood of
    /// new connections costs one sort per batch, not a scan of every stream per connection.
    private mutating func evictOldest(emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        let batch = max(1, maxStreams / 16)
        let oldest = streams.map { (time: $0.value.lastSeen, key: $0.key) }
            .sorted { $0.time < $1.time || ($0.time == $1.time && $0.key.precedes($1.key)) }
            .prefix(batch)
        for entry in oldest { close(entry.key, emit: emit) }
    }

    private mutating func close(_ key: TCPFlowKey, emit: (TCPFlowKey, TCPStreamEvent) -> Void) {
        guard streams[key] != nil else { return }
        while streams[key]?.waiting.isEmpty == false {
            let before = streams[key]?.waitingBytes
            flushHole(key, emit: emit)
            if streams[key]?.waitingBytes == before { break }
        }
        if let d = streams.removeValue(forKey: key) {
            waitingTotal -= d.waitingBytes
            if !d.ignored { emit(key, .closed) }
        }
    }
}
