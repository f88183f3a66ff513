import Base

/// One direction of a WebSocket connection (RFC 6455) after its HTTP Upgrade: frames unmasked,
/// continuation frames joined, one output per data message (text or binary); ping, pong and close
/// are skipped. RFC 7118 carries exactly one SIP message in each WebSocket message.
///
/// Bounded: a frame or message larger than `maxMessageBytes` (a header may claim 2^63 bytes) is
/// reported and the stream is hunted forward to the next plausible frame, as after a TCP hole.
public struct WebSocketStream {
    public enum Output {
        /// A whole message: the frame that completed it, every frame that carried it, its time.
        case message([UInt8], frame: Int, frames: [Int], time: Timestamp)
        case problem(CarrierProblem, frame: Int)
    }

    public var maxMessageBytes = 256 << 10
    private var buffer: [UInt8] = []
    private var head = 0
    private var marks = StreamFrameMarks()
    private var message: [UInt8] = []
    private var messageFrames: [Int] = []
    private var inMessage = false
    private var hunting = false
    private var closed = false

    public init() {}

    public var bufferedBytes: Int { buffer.count - head + message.count }
    public var lowestHeldFrame: Int? {
        let m = messageFrames.min()
        guard head < buffer.count, !marks.isEmpty else { return m }
        let b = marks.lowestFrame(from: head)
        return [m, b].compactMap { $0 }.min()
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>, frame: Int, time: Timestamp, emit: (Output) -> Void) {
        guard !closed, !bytes.isEmpty else { return }
        marks.append(offset: buffer.count, frame: frame, time: time)
        buffer.append(contentsOf: bytes)
        process(emit: emit)
    }

    /// Bytes that never came: a message in progress is lost; reading resumes at the next frame.
    public mutating func gap(missing: Int, frame: Int, emit: (Output) -> Void) {
        guard !closed else { return }
        if inMessage || head < buffer.count {
            emit(.problem(CarrierProblem(code: CaptureCode.websocketGap, message: "\(missing) bytes of the WebSocket stream were never captured; the message in progress is lost"), frame: frame))
        }
        dropMessage()
        reset()
        hunting = true
    }

    public mutating func close(emit: (Output) -> Void) {
        if inMessage, let f = messageFrames.last {
            emit(.problem(CarrierProblem(code: CaptureCode.websocketIncomplete, message: "the stream ended inside a WebSocket message (\(message.count) bytes read)"), frame: f))
        }
        dropMessage()
        reset()
    }

    private struct Header {
        var fin: Bool
        var opcode: UInt8
        var masked: Bool
        var length: UInt64
        var headerLength: Int
    }

    /// The frame header at `i`, nil when not all of it has arrived.
    private func header(at i: Int) -> Header? {
        guard buffer.count - i >= 2 else { return nil }
        let b0 = buffer[i], b1 = buffer[i + 1]
        var length = UInt64(b1 & 0x7f)
        var n = 2
        if length == 126 {
            guard buffer.count - i >= 4 else { return nil }
            length = UInt64(buffer[i + 2]) << 8 | UInt64(buffer[i + 3])
            n = 4
        } else if length == 127 {
            guard buffer.count - i >= 10 else { return nil }
            length = 0
            for k in 0..<8 { length = length << 8 | UInt64(buffer[i + 2 + k]) }
            n = 10
        }
        let masked = b1 & 0x80 != 0
        if masked { n += 4 }
        guard buffer.count - i >= n else { return nil }
        return Header(fin: b0 & 0x80 != 0, opcode: b0 & 0x0f, masked: masked, length: length, headerLength: n)
    }

    private mutating func process(emit: (Output) -> Void) {
        while head < buffer.count {
            if hunting {
                guard let p = nextPlausibleFrame(from: head) else {
                    // Keep a short tail: a frame header may be split across segments.
                    head = max(head, buffer.count - 16)
                    compact()
                    return
                }
                head = p
                hunting = false
            }
            guard let h = header(at: head) else { compact(); return }
            let f = marks.frame(at: head)
            let reserved = buffer[head] & 0x70 != 0
            let known: Set<UInt8> = [0, 1, 2, 8, 9, 10]
            guard !reserved, known.contains(h.opcode) else {
                emit(.problem(CarrierProblem(code: CaptureCode.websocketBadFrame, message: "a WebSocket frame header with \(reserved ? "reserved bits set" : "unknown opcode \(h.opcode)"); skipped to the next frame"), frame: f))
                dropMessage()
                head += 1
                hunting = true
                continue
            }
            guard h.length <= UInt64(maxMessageBytes) else {
                emit(.problem(CarrierProblem(code: CaptureCode.websocketFrameTooLarge, message: "a WebSocket frame claims \(h.length) bytes, more than the \(maxMessageBytes / 1024) KiB bound; skipped to the next frame"), frame: f))
                dropMessage()
                head += h.headerLength
                hunting = true
                continue
            }
            let length = Int(h.length)
            guard buffer.count - head - h.headerLength >= length else { compact(); return }
            let start = head + h.headerLength
            var payload = Array(buffer[start..<(start + length)])
            if h.masked {
                let key = buffer[(start - 4)..<start].map { $0 }
                for k in payload.indices { payload[k] ^= key[k & 3] }
            }
            let frames = marks.frames(covering: head, start + length)
            let last = frames.max() ?? f
            let time = marks.time(at: start + length - 1)
            head = start + length
            switch h.opcode {
            case 8:
                dropMessage()
                closed = true
                reset()
                return
            case 9, 10:
                continue
            case 0 where !inMessage:
                emit(.problem(CarrierProblem(code: CaptureCode.websocketBadFrame, message: "a WebSocket continuation frame with no message to continue; skipped"), frame: last))
                continue
            case 1 where inMessage, 2 where inMessage:
                emit(.problem(CarrierProblem(code: CaptureCode.websocketBadFrame, message: "a new WebSocket message began before the last one ended; the unfinished one is dropped"), frame: last))
                dropMessage()
            default: break
            }
            if message.count + payload.count > maxMessageBytes {
                emit(.problem(CarrierProblem(code: CaptureCode.websocketFrameTooLarge, message: "a WebSocket message grows past \(maxMessageBytes / 1024) KiB; dropped"), frame: last))
                dropMessage()
                continue
            }
            inMessage = true
            message += payload
            messageFrames += frames
            if h.fin {
                let all = Array(Set(messageFrames)).sorted()
                emit(.message(message, frame: all.max() ?? last, frames: all, time: time))
                dropMessage()
            }
        }
        compact()
    }

    /// Where a frame that looks like the start of a SIP message begins: a final text or binary
    /// frame with reserved bits clear, a sane length, and letters where the start line would be.
    private func nextPlausibleFrame(from: Int) -> Int? {
        var i = from
        while i + 2 <= buffer.count {
            let b0 = buffer[i]
            if b0 == 0x81 || b0 == 0x82, let h = header(at: i), h.length >= 8, h.length <= UInt64(maxMessageBytes) {
                let start = i + h.headerLength
                if buffer.count - start >= 8 {
                    var ok = true
                    for k in 0..<8 {
                        var c = buffer[start + k]
                        if h.masked { c ^= buffer[start - 4 + (k & 3)] }
                        if !((c >= 0x41 && c <= 0x5a) || c == 0x20 || c == 0x2f || (c >= 0x30 && c <= 0x39)) { ok = false; break }
                    }
                    if ok { return i }
                }
            }
            i += 1
        }
        return nil
    }

    private mutating func dropMessage() {
        message.removeAll(keepingCapacity: false)
        messageFrames.removeAll()
        inMessage = false
    }

    private mutating func reset() {
        buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
        marks.removeAll(keepingCapacity: true)
        head = 0
    }

    private mutating func compact() {
        guard head > 0 else { return }
        if head >= buffer.count { reset(); return }
        buffer.removeFirst(head)
        marks.drop(head)
        head = 0
    }
}
