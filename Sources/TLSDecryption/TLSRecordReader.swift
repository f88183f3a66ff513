/// A TLS record as it travelled: header fields and the protected fragment, with the frame that
/// completed it (where Wireshark shows its contents) and the frame its first byte came in.
public struct TLSRecord: Sendable, Equatable {
    public var type: UInt8
    public var version: UInt16
    public var fragment: ArraySlice<UInt8>
    public var frame: Int
    public var firstFrame: Int
}

/// Cuts one direction's TCP byte stream into TLS records: records split across segments, several
/// in one segment. Holds at most one record (plus, after a hole, what it hunts through).
///
/// A hole inside a record (a segment cut by the snap length, or never captured) costs that
/// record only when the hole's size is known to end inside it; otherwise the reader has lost the
/// record boundaries and hunts for two headers in a row before it goes on.
struct TLSRecordReader {
    enum Event {
        case record(TLSRecord)
        /// A record whose bytes the capture does not hold in full.
        case damaged(frame: Int, truncatedByCapture: Bool, missing: Int)
        /// The bytes here are no TLS record header.
        case malformed(frame: Int, header: [UInt8])
        /// Boundaries found again after a hole or garbage: `skipped` bytes passed over.
        case resynchronized(frame: Int, skipped: Int)
    }

    /// The largest fragment RFC 5246 allows (2^14 + 2048); anything longer is no record.
    static let maxFragment = 16384 + 2048
    static let maxHuntBytes = 64 << 10

    private var buffer: [UInt8] = []
    private var head = 0
    private var startFrame = 0
    /// Bytes of a damaged record still to drop before the next header.
    private var discard = 0
    private var discardMissing = 0
    private var discardTruncated = false
    /// The frame of the hole: where the record was cut, named when its loss is reported.
    private var discardFrame = 0
    /// The record being discarded was given up to free memory: its loss is already reported.
    private var discardQuietly = false
    private(set) var hunting = false
    private var huntSkipped = 0

    var bufferedBytes: Int { buffer.count - head }
    /// Memory held as allocated (the buffer keeps its capacity between records).
    var footprint: Int { buffer.capacity }
    /// The frame the oldest held byte came in.
    var heldFrame: Int? {
        // A record cut at `discardFrame` is reported there once its end has come: output waits.
        if discard > 0 && !discardQuietly { return discardFrame }
        return bufferedBytes > 0 ? startFrame : nil
    }

    mutating func append(_ bytes: ArraySlice<UInt8>, frame: Int, emit: (Event) -> Void) {
        var input = bytes
        if discard > 0 {
            let n = min(discard, input.count)
            discard -= n
            input = input.dropFirst(n)
            if discard == 0 && !discardQuietly { emit(.damaged(frame: discardFrame, truncatedByCapture: discardTruncated, missing: discardMissing)) }
            if discard == 0 { discardQuietly = false }
            if input.isEmpty { return }
        }
        if bufferedBytes == 0 { startFrame = frame; buffer.removeAll(keepingCapacity: true); head = 0 }
        buffer += input
        while true {
            if hunting {
                guard let at = findHeader() else { compactHunt(); return }
                huntSkipped += at - head
                head = at
                hunting = false
                emit(.resynchronized(frame: frame, skipped: huntSkipped))
                huntSkipped = 0
            }
            guard buffer.count - head >= 5 else { break }
            guard Self.plausibleHeader(buffer, head) else {
                emit(.malformed(frame: frame, header: Array(buffer[head..<(head + 5)])))
                hunting = true
                head += 1
                huntSkipped = 1
                continue
            }
            let length = Int(buffer[head + 3]) << 8 | Int(buffer[head + 4])
            guard buffer.count - head - 5 >= length else { break }
            let record = TLSRecord(type: buffer[head], version: UInt16(buffer[head + 1]) << 8 | UInt16(buffer[head + 2]),
                                   fragment: buffer[(head + 5)..<(head + 5 + length)], frame: frame, firstFrame: startFrame)
            head += 5 + length
            startFrame = frame
            emit(.record(record))
        }
        if head > 0 && head == buffer.count { buffer.removeAll(keepingCapacity: true); head = 0 }
        else if head > 32 << 10 { buffer.removeFirst(head); head = 0 }
    }

    /// Lets go of what is held (the budget for all connections ran out) and of the buffer's
    /// capacity. A record in progress is dropped whole, its end skipped when it comes, so the
    /// record boundaries hold; returns the bytes of it that were held (0: nothing was lost).
    mutating func shed() -> Int {
        let held = bufferedBytes
        if !hunting, discard == 0, held >= 5 {
            let length = Int(buffer[head + 3]) << 8 | Int(buffer[head + 4])
            discard = 5 + length - held
            discardQuietly = true
        } else if hunting {
            huntSkipped += held
        } else if held > 0 {
            // Less than a header: kept (five bytes at most).
            let keep = Array(buffer[head...])
            buffer = keep
            head = 0
            return 0
        }
        buffer = []
        head = 0
        return hunting ? 0 : held
    }

    /// `missing` bytes that will never come, at `frame`.
    mutating func gap(missing: Int, frame: Int, truncatedByCapture: Bool, emit: (Event) -> Void) {
        if discard > 0 {
            // Still inside a damaged record.
            if missing < discard { discard -= missing; return }
            let past = missing - discard
            discard = 0
            if !discardQuietly { emit(.damaged(frame: frame, truncatedByCapture: truncatedByCapture, missing: missing)) }
            discardQuietly = false
            if past > 0 { loseSync(frame) }
            return
        }
        if !hunting, buffer.count - head >= 5 {
            let length = Int(buffer[head + 3]) << 8 | Int(buffer[head + 4])
            let need = 5 + length - (buffer.count - head)
            if missing <= need {
                // The hole ends inside this record: it alone is lost, the boundaries hold.
                discard = need - missing
                discardFrame = frame
                discardTruncated = truncatedByCapture
                discardMissing = missing
                buffer.removeAll(keepingCapacity: true)
                head = 0
                if discard == 0 { emit(.damaged(frame: frame, truncatedByCapture: truncatedByCapture, missing: missing)) }
                return
            }
            emit(.damaged(frame: frame, truncatedByCapture: truncatedByCapture, missing: missing))
        } else if !hunting, buffer.count - head > 0 || missing > 0 {
            emit(.damaged(frame: frame, truncatedByCapture: truncatedByCapture, missing: missing))
        }
        loseSync(frame)
    }

    private mutating func loseSync(_ frame: Int) {
        buffer.removeAll(keepingCapacity: true)
        head = 0
        hunting = true
        startFrame = frame
    }

    /// A header here, and its record either ends the buffer or is followed by another header.
    private func findHeader() -> Int? {
        var i = head
        while buffer.count - i >= 5 {
            if Self.plausibleHeader(buffer, i) {
                let end = i + 5 + (Int(buffer[i + 3]) << 8 | Int(buffer[i + 4]))
                if end == buffer.count { return i }
                if end + 5 <= buffer.count, Self.plausibleHeader(buffer, end) { return i }
                if end + 5 > buffer.count { return nil } // wait for the bytes that confirm it
            }
            i += 1
        }
        return nil
    }

    private mutating func compactHunt() {
        // Keep only what could still start a record; bound what hunting holds.
        let keepFrom = max(head, buffer.count - Self.maxHuntBytes)
        huntSkipped += keepFrom - head
        buffer.removeFirst(keepFrom)
        head = 0
    }

    static func plausibleHeader(_ b: [UInt8], _ i: Int) -> Bool {
        let type = b[i]
        guard type >= 20 && type <= 24, b[i + 1] == 3, b[i + 2] <= 4 else { return false }
        let length = Int(b[i + 3]) << 8 | Int(b[i + 4])
        return length > 0 && length <= maxFragment
    }
}
