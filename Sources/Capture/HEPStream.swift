import Base

/// HEP3 packets back to back in one direction of a TCP connection (how captagent, heplify and
/// Kamailio send HEP over TCP): a packet may be split across segments or share one with others.
/// The frame of a packet is the frame that completed it. Bounded: a HEP3 packet is at most
/// 65535 bytes (its length field), and bytes that are not HEP are hunted past to the next "HEP3".
public struct HEPStream {
    public enum Output {
        case packet(HEPPacket, frame: Int, frames: [Int], time: Timestamp)
        case problem(CarrierProblem, frame: Int)
    }

    private struct Mark { var offset: Int; var frame: Int; var time: Timestamp }
    private var buffer: [UInt8] = []
    private var marks: [Mark] = []
    private var hunting = false
    public var maxInflated = HEPDecoder.defaultMaxInflated

    public init() {}

    public var bufferedBytes: Int { buffer.count }
    public var lowestHeldFrame: Int? { buffer.isEmpty ? nil : marks.map(\.frame).min() }

    public mutating func append(_ bytes: ArraySlice<UInt8>, frame: Int, time: Timestamp, emit: (Output) -> Void) {
        guard !bytes.isEmpty else { return }
        marks.append(Mark(offset: buffer.count, frame: frame, time: time))
        buffer.append(contentsOf: bytes)
        var head = 0
        while head < buffer.count {
            switch HEPDecoder.decode(buffer[head...], maxInflated: maxInflated) {
            case .needMore:
                cut(head)
                return
            case .packet(let p):
                let end = head + p.length
                let frames = framesCovering(head, end)
                emit(.packet(p, frame: frames.max() ?? frame, frames: frames, time: timeAt(end - 1)))
                head = end
                hunting = false
            case .notHEP(let problem):
                // A short tail may be a magic split across segments: wait for more.
                if buffer.count - head < 4 { cut(head); return }
                // Hunt to the next magic: a stream that lost its place (a hole, garbage) picks up again.
                let next = nextMagic(from: head + 1)
                if !hunting {
                    emit(.problem(problem ?? CarrierProblem(code: CaptureCode.hepResync, message: "bytes in a HEP stream that are not a HEP3 packet were skipped to the next \"HEP3\""), frame: frameAt(head)))
                }
                hunting = next == nil
                head = next ?? buffer.count - 3
            }
        }
        cut(head)
    }

    /// Bytes that never came: the packet in progress is lost; reading resumes at the next "HEP3".
    public mutating func gap(missing: Int, frame: Int, emit: (Output) -> Void) {
        if !buffer.isEmpty {
            emit(.problem(CarrierProblem(code: CaptureCode.hepGap, message: "\(missing) bytes of the HEP stream were never captured; the packet in progress is lost"), frame: frame))
        }
        buffer.removeAll()
        marks.removeAll()
    }

    public mutating func close(emit: (Output) -> Void) {
        if !buffer.isEmpty, let f = marks.last?.frame {
            emit(.problem(CarrierProblem(code: CaptureCode.hepIncomplete, message: "the stream ended inside a HEP packet (\(buffer.count) bytes)"), frame: f))
        }
        buffer.removeAll()
        marks.removeAll()
    }

    private func nextMagic(from: Int) -> Int? {
        guard buffer.count >= 4, from <= buffer.count - 4 else { return nil }
        for i in from...(buffer.count - 4) where buffer[i] == 0x48 && buffer[i + 1] == 0x45 && buffer[i + 2] == 0x50 && buffer[i + 3] == 0x33 {
            return i
        }
        return nil
    }

    private mutating func cut(_ head: Int) {
        guard head > 0 else { return }
        if head >= buffer.count { buffer.removeAll(keepingCapacity: true); marks.removeAll(); return }
        buffer.removeFirst(head)
        var kept: [Mark] = []
        for (i, m) in marks.enumerated() {
            let end = i + 1 < marks.count ? marks[i + 1].offset : Int.max
            if end > head { kept.append(Mark(offset: max(0, m.offset - head), frame: m.frame, time: m.time)) }
        }
        marks = kept
    }

    private func markIndex(_ offset: Int) -> Int {
        var lo = 0, hi = marks.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if marks[mid].offset <= offset { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }
    private func frameAt(_ offset: Int) -> Int { marks.isEmpty ? 0 : marks[markIndex(offset)].frame }
    private func timeAt(_ offset: Int) -> Timestamp { marks.isEmpty ? Timestamp(seconds: 0, nanoseconds: 0) : marks[markIndex(offset)].time }
    private func framesCovering(_ start: Int, _ end: Int) -> [Int] {
        guard !marks.isEmpty, end > start else { return [] }
        return Array(Set(marks[markIndex(start)...markIndex(end - 1)].map(\.frame))).sorted()
    }
}
