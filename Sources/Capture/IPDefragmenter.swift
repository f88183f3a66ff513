import Base

/// Rebuilds IP datagrams from fragments that may come in any order, twice, or overlapping.
///
/// Memory is bounded: a datagram is abandoned (and reported) when it waits longer than
/// `timeout` seconds of capture time, when it grows past 64 KiB, or when too much is held in
/// total; the oldest go first.
public struct IPDefragmenter {
    private struct Pending {
        var pieces: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        var totalLength: Int?
        var frames: [Int] = []
        var firstSeen: Timestamp
        var bytesHeld = 0
        var truncated = false
        var overlapped = false
        var order: Int
        var ipv6: Bool
        /// Built once a datagram has many pieces: from then on each fragment costs its own length,
        /// not a scan of the pieces before it and a sort (a datagram may come in 8 000 pieces).
        var coverage: FragmentCoverage?
    }

    /// Pieces a datagram may have before its coverage is kept as a bitmap.
    static let piecesBeforeCoverage = 16

    public var timeout: Double
    public var maxBytesHeld: Int
    public var maxDatagrams: Int
    private var pending: [IPFragment.Key: Pending] = [:]
    private var bytesHeld = 0
    private var counter = 0
    /// Fragments given up on, reported once each.
    public private(set) var diagnostics: [Diagnostic] = []
    /// The lowest frame of any datagram given up on: where "fragments never completed" points.
    public private(set) var firstAbandonedFrame: Int?

    public init(timeout: Double = 30, maxBytesHeld: Int = 32 << 20, maxDatagrams: Int = 10_000) {
        self.timeout = timeout
        self.maxBytesHeld = maxBytesHeld
        self.maxDatagrams = maxDatagrams
    }

    public var pendingCount: Int { pending.count }
    /// Fragment bytes held right now (bounded by `maxBytesHeld`).
    public var bytesPending: Int { bytesHeld }

    /// Adds a fragment; returns the datagram when this fragment completes it.
    public mutating func add(_ fragment: IPFragment, frame: Int, time: Timestamp, ipv6: Bool) -> IPDatagram? {
        // Taken out of the table while it changes: its pieces change in place, never copied per fragment.
        var p: Pending
        if let waiting = pending.removeValue(forKey: fragment.key) {
            p = waiting
        } else {
            p = Pending(firstSeen: time, order: counter, ipv6: ipv6)
            counter += 1
        }
        p.frames.append(frame)
        p.truncated = p.truncated || fragment.isTruncatedByCapture
        let end = fragment.offset + fragment.bytes.count
        if end > 65_535 + 40 {
            bytesHeld -= p.bytesHeld
            report(p, CaptureCode.ipFragmentOversize, "IP fragments add up to more than 65535 bytes; dropped")
            return nil
        }
        if !fragment.moreFragments {
            p.totalLength = end
        }
        // Keep the bytes first captured wherever fragments overlap; note that they did.
        if !fragment.bytes.isEmpty {
            if p.coverage == nil && p.pieces.count >= Self.piecesBeforeCoverage {
                var coverage = FragmentCoverage()
                for piece in p.pieces { _ = coverage.mark(offset: piece.offset, end: piece.offset + piece.bytes.count) }
                p.coverage = coverage
                p.bytesHeld += FragmentCoverage.byteCost
                bytesHeld += FragmentCoverage.byteCost
            }
            let exact: Bool
            if p.coverage != nil {
                let marked = p.coverage!.mark(offset: fragment.offset, end: end)
                exact = marked.isDuplicate
                if marked.overlapped { p.overlapped = true }
            } else {
                exact = p.pieces.contains { $0.offset == fragment.offset && $0.bytes.count == fragment.bytes.count }
                if !exact, p.pieces.contains(where: { $0.offset < end && fragment.offset < $0.offset + $0.bytes.count }) {
                    p.overlapped = true
                }
            }
            if !exact {
                p.pieces.append((fragment.offset, fragment.bytes))
                p.bytesHeld += fragment.bytes.count
                bytesHeld += fragment.bytes.count
            }
        }
        if let total = p.totalLength, let data = assemble(p, total: total) {
            bytesHeld -= p.bytesHeld
            if p.overlapped {
                diagnostics.append(Diagnostic(CaptureCode.ipFragmentOverlap, .warning,
                    "frame \(frame): IP fragments overlap; the bytes captured first were kept", frame: frame))
            }
            let d = IPDatagram(source: fragment.key.source, destination: fragment.key.destination,
                               transport: fragment.key.transport, payload: data[...], frames: p.frames,
                               isTruncatedByCapture: p.truncated, declaredLength: total, tunnel: fragment.key.tunnel)
            return ipv6 ? IPDecoder.skipIPv6Extensions(d) : d
        }
        pending[fragment.key] = p
        enforceBounds()
        return nil
    }

    /// Abandons datagrams that have waited longer than the timeout.
    public mutating func expire(now: Timestamp) {
        for (key, p) in pending where now.seconds(since: p.firstSeen) > timeout {
            pending[key] = nil
            bytesHeld -= p.bytesHeld
            report(p, CaptureCode.ipFragmentIncomplete, "IP datagram never completed within \(Int(timeout)) s; its \(p.frames.count) fragment(s) were dropped")
        }
    }

    /// At the end of the capture: every datagram still waiting is incomplete.
    public mutating func finish() {
        for p in pending.values.sorted(by: { $0.order < $1.order }) {
            report(p, CaptureCode.ipFragmentIncomplete, "IP datagram incomplete when the capture ended; its \(p.frames.count) fragment(s) were dropped")
        }
        pending = [:]
        bytesHeld = 0
    }

    public mutating func takeDiagnostics() -> [Diagnostic] {
        defer { diagnostics = [] }
        return diagnostics
    }

    /// Drops the oldest datagrams when too much waits: a sixteenth of the limit at once, so a flood
    /// of fragments costs one sort per batch instead of a scan of every datagram per fragment.
    private mutating func enforceBounds() {
        guard bytesHeld > maxBytesHeld || pending.count > maxDatagrams else { return }
        // Too many datagrams: drop a batch. Too many bytes: drop only until under the bound.
        let batch = pending.count > maxDatagrams ? max(1, maxDatagrams / 16) : 0
        let byAge = pending.map { (order: $0.value.order, key: $0.key) }.sorted { $0.order < $1.order }
        var dropped = 0
        for entry in byAge {
            let overBytes = bytesHeld > maxBytesHeld, overCount = pending.count > maxDatagrams
            guard overBytes || overCount || dropped < batch else { break }
            guard let p = pending.removeValue(forKey: entry.key) else { continue }
            bytesHeld -= p.bytesHeld
            dropped += 1
            report(p, CaptureCode.ipFragmentIncomplete, "too many IP fragments waiting at once; the oldest incomplete datagram was dropped")
        }
    }

    private mutating func report(_ p: Pending, _ code: CaptureCode, _ what: String) {
        let first = p.frames.min() ?? 0
        firstAbandonedFrame = min(firstAbandonedFrame ?? first, first)
        let list = p.frames.sorted().prefix(8).map(String.init).joined(separator: ",")
        diagnostics.append(Diagnostic(code, .warning, "frame \(first): \(what) (frames \(list))", frame: first))
    }

    /// The whole payload if every byte from 0 to `total` is covered, else nil.
    private func assemble(_ p: Pending, total: Int) -> [UInt8]? {
        if let coverage = p.coverage {
            guard coverage.isComplete(upTo: total) else { return nil }
        } else {
            let sorted = p.pieces.sorted { $0.offset < $1.offset }
            var covered = 0
            for piece in sorted {
                if piece.offset > covered { return nil }
                covered = max(covered, piece.offset + piece.bytes.count)
            }
            guard covered >= total else { return nil }
        }
        var out = [UInt8](repeating: 0, count: total)
        // The usual datagram: pieces that do not overlap. Then arrival order does not matter and
        // each piece is one copy, not a byte loop.
        let ordered = p.pieces.sorted { $0.offset < $1.offset }
        if zip(ordered, ordered.dropFirst()).allSatisfy({ $0.offset + $0.bytes.count <= $1.offset }) {
            for piece in ordered where piece.offset < total {
                let n = min(piece.bytes.count, total - piece.offset)
                out.replaceSubrange(piece.offset..<(piece.offset + n), with: piece.bytes.prefix(n))
            }
            return out
        }
        var filled = [Bool](repeating: false, count: total)
        // Earlier-captured pieces win: write in arrival order, skipping bytes already set.
        for piece in p.pieces {
            var i = piece.offset
            for byte in piece.bytes {
                if i >= total { break }
                if !filled[i] { out[i] = byte; filled[i] = true }
                i += 1
            }
        }
        return out
    }
}
