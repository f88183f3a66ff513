/// Which frame, and at what time, each byte of a reassembled stream arrived in: the offsets where
/// each frame's bytes begin. The stream readers (SIP framing over TCP, WebSocket, HEP over TCP)
/// all name a message by the frames it was made of and the time of its last byte, so they share
/// one bookkeeping.
public struct StreamFrameMarks: Sendable {
    private struct Mark { var offset: Int; var frame: Int; var time: Timestamp }
    private var marks: [Mark] = []

    public init() {}

    public var isEmpty: Bool { marks.isEmpty }
    /// The frame whose bytes came last.
    public var lastFrame: Int? { marks.last?.frame }
    /// Bytes held by the marks as allocated (for a memory budget).
    public var footprint: Int { marks.capacity * MemoryLayout<Mark>.stride }

    /// `frame`'s bytes start at `offset` of the buffer.
    public mutating func append(offset: Int, frame: Int, time: Timestamp) {
        marks.append(Mark(offset: offset, frame: frame, time: time))
    }

    public mutating func removeAll(keepingCapacity: Bool = false) {
        marks.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The buffer's first `count` bytes were dropped: marks wholly before them go, the rest move
    /// down. In place, so a long stream compacting often does not allocate.
    public mutating func drop(_ count: Int) {
        guard count > 0, !marks.isEmpty else { return }
        marks.removeFirst(index(count))
        for i in marks.indices { marks[i].offset = max(0, marks[i].offset - count) }
    }

    /// The frame the byte at `offset` came in (0 when nothing is held).
    public func frame(at offset: Int) -> Int { marks.isEmpty ? 0 : marks[index(offset)].frame }

    public func time(at offset: Int) -> Timestamp {
        marks.isEmpty ? Timestamp(seconds: 0, nanoseconds: 0) : marks[index(max(0, offset))].time
    }

    /// Every frame that brought a byte of `start..<end`, ascending, each once.
    public func frames(covering start: Int, _ end: Int) -> [Int] {
        guard !marks.isEmpty, end > start else { return [] }
        var frames: [Int] = []
        for i in index(start)...index(end - 1) where frames.last != marks[i].frame {
            frames.append(marks[i].frame)
        }
        // Neighbours are distinct already: ascending means kept as built, no copies.
        if frames.isAscending { return frames }
        return Array(Set(frames)).sorted()
    }

    /// The lowest frame among the bytes from `offset` on (those still held): frame order waits for it.
    public func lowestFrame(from offset: Int) -> Int? {
        marks.isEmpty ? nil : marks[index(offset)...].lazy.map(\.frame).min()
    }

    /// The last mark at or before `offset` (the first when none is).
    private func index(_ offset: Int) -> Int {
        var lo = 0, hi = marks.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if marks[mid].offset <= offset { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }
}
