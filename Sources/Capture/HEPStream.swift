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

    private var buffer: [UInt8] = []
    private var marks = StreamFrameMarks()
    private var hunting = false
    public var maxInflated = HEPDecoder.defaultMaxInflated

    public init() {}

    public var bufferedBytes: Int { buffer.count }
    public var lowestHeldFrame: Int? { buffer.isEmpty ? nil : marks.lowestFrame(from: 0) }

    public mutating func append(_ bytes: ArraySlice<UInt8>, frame: Int, time: Timestamp, emit: (Output) -> Void) {
        guard !bytes.isEmpty else { return }
        marks.append(offset: buffer.count, frame: frame, time: time)
        buffer.append(contentsOf: bytes)
        var head = 0
        while head < buffer.count {
            switch HEPDecoder.decode(buffer[head...], maxInflated: maxInflated) {
            case .needMore:
                cut(head)
                return
            case .packet(let p):
                let end = head + p.length
                let frames = marks.frames(covering: head, end)
                emit(.packet(p, frame: frames.max() ?? frame, frames: frames, time: marks.time(at: end - 1)))
                head = end
                hunting = false
            case .notHEP(let problem):
                // A short tail may be a magic split across segments: wait for more.
                if buffer.count - head < 4 { cut(head); return }
                // Hunt to the next magic: a stream that lost its place (a hole, garbage) picks up again.
                let next = nextMagic(from: head + 1)
                if !hunting {
                    emit(.problem(problem ?? CarrierProblem(code: CaptureCode.hepResync, message: "bytes in a HEP stream that are not a HEP3 packet were skipped to the next \"HEP3\""), frame: marks.frame(at: head)))
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
        if !buffer.isEmpty, let f = marks.lastFrame {
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
        marks.drop(head)
    }
}
