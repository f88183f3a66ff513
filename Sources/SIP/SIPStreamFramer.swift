import Base

/// A SIP message cut out of a byte stream, with the frames that carried it.
public struct FramedMessage {
    public var message: SIPMessage
    public var frame: Int
    public var frames: [Int]
    public var time: Timestamp
    public var diagnostics: [Diagnostic]
    public var effectiveBody: [UInt8]
    public var isTruncatedByCapture: Bool
}

/// Cuts one direction of a TCP stream into SIP messages by Content-Length (`l` too).
///
/// It keeps what it cannot use yet (a header or body still arriving), and bounds it. A stream
/// that starts mid-message (no SYN captured) or has a hole is hunted forward to the next SIP
/// start line, Zeek style: the skip is reported, never a stall. A stream that shows no start
/// line within `maxHuntBytes` is not SIP and is dropped.
public struct SIPStreamFramer {
    /// `webSocket` and `hep`: SIP inside another protocol (only with `followsCarriers`); the
    /// bytes after the recognised start are in `handover`.
    public enum Kind: Equatable { case undecided, sip, notSIP, tls, webSocket, hep }

    public enum Output {
        case message(FramedMessage)
        case diagnostic(Diagnostic)
    }


    public private(set) var kind: Kind = .undecided
    public var maxHeaderBytes = 64 << 10
    public var maxBodyBytes = 1 << 20
    public var maxHuntBytes = 64 << 10
    /// Recognise WebSocket upgrades and HEP streams (`StreamCarrierSniffer`) instead of calling them not SIP.
    public var followsCarriers = false
    public private(set) var handover: (bytes: [UInt8], frame: Int)?

    private var buffer: [UInt8] = []
    private var head = 0
    private var marks = StreamFrameMarks()
    private var hunting = true
    private var skipped = 0
    private var skippedFrame = 0
    private var sawMessage = false
    /// Header-end search resumes here, so a long header arriving in pieces is scanned once.
    private var scannedTo = 0
    /// The parsed header of the message whose body is still arriving (its length from `head`).
    /// Boxed: a framer per stream (65 536 of them) must stay small while it holds nothing.
    private final class WaitingHeader {
        let length: Int
        let message: SIPMessage
        init(length: Int, message: SIPMessage) { self.length = length; self.message = message }
    }
    private var waitingHeader: WaitingHeader?

    public init() {}

    /// Bytes buffered right now (bounded by the maxima above).
    public var bufferedBytes: Int { buffer.count - head }

    /// Memory held as allocated (buffer and frame marks by capacity, not only what is in use): what
    /// the extractor's budget for all streams together counts.
    public var footprint: Int { buffer.capacity + marks.footprint }

    /// The frame where the bytes held begin, so the oldest partial message can be given up first.
    /// Nil when nothing is held.
    public var heldSince: Int? { bufferedBytes > 0 && !marks.isEmpty ? marks.frame(at: head) : nil }

    /// Gives up what is held to free memory (the budget for all streams ran out): a message in
    /// progress is reported with `reason`, as at a gap; reading resumes at the next start line.
    /// Holding nothing, it only lets go of spare capacity.
    public mutating func giveUp(reason: Diagnostic, emit: (Output) -> Void) {
        if bufferedBytes > 0 {
            if hunting {
                noteSkipped(head, buffer.count)
            } else if !onlyLineBreaks(from: head) {
                emitPartial(reason: reason, truncated: false, keepBody: false, emit: emit)
            }
            hunting = true
        }
        buffer = []
        marks = StreamFrameMarks()
        head = 0
        scannedTo = 0
        waitingHeader = nil
    }

    /// The lowest frame among the bytes still buffered: nothing this framer emits later can be
    /// reported at an earlier frame. Nil when it holds nothing.
    public var lowestHeldFrame: Int? {
        guard head < buffer.count, !marks.isEmpty else { return nil }
        return marks.lowestFrame(from: head)
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>, frame: Int, time: Timestamp, emit: (Output) -> Void) {
        guard kind == .undecided || kind == .sip, !bytes.isEmpty else { return }
        if kind == .undecided && head >= buffer.count && looksLikeTLS(bytes) {
            kind = .tls
            return
        }
        if followsCarriers && kind == .undecided && head >= buffer.count, let c = StreamCarrierSniffer.sniff(bytes) {
            kind = c.carrier == .hep ? .hep : .webSocket
            handover = (Array(bytes[c.offset...]), frame)
            return
        }
        marks.append(offset: buffer.count, frame: frame, time: time)
        buffer.append(contentsOf: bytes)
        process(emit: emit)
    }

    /// Bytes that will never come. A message in progress is given up with what it has.
    public mutating func gap(missing: Int, frame: Int, truncatedByCapture: Bool, emit: (Output) -> Void) {
        guard kind == .sip || kind == .undecided else { return }
        let partial = !hunting && bufferedBytes > 0 && !onlyLineBreaks(from: head)
        if partial {
            emitPartial(reason: truncatedByCapture
                ? Diagnostic(SIPCode.captureTruncated, .warning, "frame \(frame): the capture's snap length cut this message (\(missing) bytes not kept); the message itself may be fine", frame: frame)
                : Diagnostic(SIPCode.tcpGap, .error, "frame \(frame): \(missing) bytes of the TCP stream were never captured inside this message", frame: frame),
                truncated: truncatedByCapture, emit: emit)
        } else if kind == .sip && !truncatedByCapture {
            emit(.diagnostic(Diagnostic(SIPCode.tcpGap, .warning,
                "frame \(frame): \(missing) bytes of the TCP stream were never captured; reading resumes at the next SIP start line", frame: frame)))
        }
        reset()
        hunting = true
    }

    /// The stream ended: a message still waiting for bytes is reported as incomplete.
    public mutating func close(emit: (Output) -> Void) {
        if kind == .sip || kind == .undecided, !hunting, bufferedBytes > 0, !onlyLineBreaks(from: head) {
            let f = marks.lastFrame ?? 0
            emitPartial(reason: Diagnostic(SIPCode.messageIncomplete, .error,
                "frame \(f): the stream ended before this message was complete", frame: f), truncated: false, emit: emit)
        }
        reportSkipped(emit: emit)
        reset()
    }

    // MARK: - Framing

    private mutating func process(emit: (Output) -> Void) {
        while true {
            // CRLF keepalives (RFC 5626) are no junk, also before the first message.
            while head < buffer.count, buffer[head] == 0x0d || buffer[head] == 0x0a { head += 1 }
            if head >= buffer.count { reset(); return }
            if hunting {
                guard let p = nextStartLine(from: head, before: buffer.count) else {
                    let lastLF = buffer[head...].lastIndex(of: 0x0a)
                    var dropTo = lastLF.map { $0 + 1 } ?? head
                    if buffer.count - dropTo > 8192 { dropTo = buffer.count }
                    if dropTo > head { noteSkipped(head, dropTo) }
                    head = dropTo
                    if kind == .undecided && skipped > maxHuntBytes {
                        kind = .notSIP
                        reset()
                        return
                    }
                    compact()
                    return
                }
                if p > head { noteSkipped(head, p) }
                head = p
                scannedTo = head
                hunting = false
                reportSkipped(emit: emit)
            }
            let headerEnd: Int, parsed: SIPMessage
            if let waiting = waitingHeader {
                // The header was read when the body began to arrive: not parsed again per segment.
                (headerEnd, parsed) = (head + waiting.length, waiting.message)
            } else {
                guard let foundEnd = SIPHeaderParser.headerEnd(buffer, from: max(head, scannedTo - 3)) else {
                    scannedTo = buffer.count
                    if buffer.count - head > maxHeaderBytes {
                        let f = marks.frame(at: head)
                        emit(.diagnostic(Diagnostic(SIPCode.headerTooLong, .error,
                            "frame \(f): a SIP header section longer than \(maxHeaderBytes / 1024) KiB; skipped to the next start line", frame: f)))
                        head = (buffer[head...].firstIndex(of: 0x0a) ?? buffer.count - 1) + 1
                        hunting = true
                        // It began with a real start line: the stream is SIP, however long the skip.
                        kind = .sip
                        sawMessage = true
                        continue
                    }
                    compact()
                    return
                }
                guard let found = SIPHeaderParser.parse(buffer[head..<foundEnd]) else {
                    // Not a start line where a message should begin: hunt for the next one.
                    hunting = true
                    continue
                }
                (headerEnd, parsed) = (foundEnd, found)
            }
            var message = parsed
            var diagnostics: [Diagnostic] = []
            var bodyEnd: Int
            let declared = message.declaredContentLength
            switch declared {
            case .value(let n) where n <= maxBodyBytes:
                if buffer.count - headerEnd < n {
                    waitingHeader = WaitingHeader(length: headerEnd - head, message: parsed)
                    compact()
                    return
                }
                waitingHeader = nil
                bodyEnd = headerEnd + n
                // A start line right where Content-Length ends means the length is right: a body
                // without a final line break must not make its first line look like a start line.
                if !startLineBegins(at: bodyEnd), let q = nextStartLine(from: headerEnd, before: bodyEnd) {
                    // A Content-Length too large swallows the next message: the receiver would too.
                    let f = marks.frame(at: q)
                    diagnostics.append(Diagnostic(SIPCode.contentLengthMismatch, .error,
                        "frame \(f): Content-Length \(n) runs into the next SIP message: the receiver takes that message's start as body", frame: f))
                    bodyEnd = q
                }
            case .value(let n):
                bodyEnd = nextStartLine(from: headerEnd, before: buffer.count) ?? buffer.count
                let f = marks.frame(at: headerEnd - 1)
                diagnostics.append(Diagnostic(SIPCode.contentLengthTooLarge, .error,
                    "frame \(f): Content-Length \(n) is beyond any real body; \(bodyEnd - headerEnd) bytes taken as body", frame: f))
            default:
                bodyEnd = nextStartLine(from: headerEnd, before: buffer.count) ?? buffer.count
            }
            var wireEnd = bodyEnd
            if case .value(let n) = declared, bodyEnd - headerEnd == n {
                var k = bodyEnd
                while k < buffer.count, buffer[k] == 0x0d || buffer[k] == 0x0a { k += 1 }
                // A line that is not yet complete may be the next start line split across segments: not judged yet.
                if k < buffer.count, let line = lineAt(k), SIPStartLine.parse(line) == nil {
                    // Body bytes beyond Content-Length: sent, but not read as this message's body.
                    wireEnd = nextStartLine(from: k, before: buffer.count) ?? buffer.count
                }
            }
            message.body = Array(buffer[headerEnd..<wireEnd])
            let frames = marks.frames(covering: head, wireEnd)
            // Out of order, the frame that completes a message need not carry its last byte.
            let last = frames.max() ?? marks.frame(at: wireEnd - 1)
            var reading = BodyReading.read(body: message.body, declared: declared, transport: .tcp,
                                           truncatedByCapture: false, frame: last)
            if case .value(let n) = declared, n <= maxBodyBytes, bodyEnd < headerEnd + n {
                reading.effective = Array(buffer[headerEnd..<bodyEnd])
            }
            diagnostics.insert(contentsOf: reading.diagnostics, at: 0)
            emit(.message(FramedMessage(message: message, frame: last, frames: frames, time: marks.time(at: wireEnd - 1),
                                        diagnostics: diagnostics, effectiveBody: reading.effective,
                                        isTruncatedByCapture: false)))
            kind = .sip
            sawMessage = true
            head = wireEnd
            scannedTo = head
        }
    }

    /// `keepBody` false: the body held so far is dropped, not handed on (the memory budget ran out:
    /// what follows must not hold it either).
    private mutating func emitPartial(reason: Diagnostic, truncated: Bool, keepBody: Bool = true, emit: (Output) -> Void) {
        let end = buffer.count
        let f = marks.frame(at: end - 1)
        if let headerEnd = SIPHeaderParser.headerEnd(buffer, from: head),
           var message = SIPHeaderParser.parse(buffer[head..<headerEnd]) {
            message.body = keepBody ? Array(buffer[headerEnd..<end]) : []
            var diagnostics = [reason]
            if !truncated, case .absent = message.declaredContentLength {
                diagnostics += BodyReading.read(body: message.body, declared: .absent, transport: .tcp,
                                                truncatedByCapture: false, frame: f).diagnostics
            }
            emit(.message(FramedMessage(message: message, frame: f, frames: marks.frames(covering: head, end), time: marks.time(at: end - 1),
                                        diagnostics: diagnostics, effectiveBody: message.body, isTruncatedByCapture: truncated)))
            kind = .sip
        } else {
            // A start line was found (we were not hunting), so this is SIP even if no message
            // ever completed: say what was lost.
            var d = reason
            d.message += " (a SIP message whose headers were not complete was lost)"
            emit(.diagnostic(d))
        }
    }

    // MARK: - Bookkeeping

    private mutating func noteSkipped(_ from: Int, _ to: Int) {
        if skipped == 0 { skippedFrame = marks.frame(at: from) }
        skipped += to - from
    }

    private mutating func reportSkipped(emit: (Output) -> Void) {
        guard skipped > 0 else { return }
        if sawMessage {
            emit(.diagnostic(Diagnostic(SIPCode.tcpResync, .warning,
                "frame \(skippedFrame): \(skipped) bytes that are no SIP message were skipped to reach the next start line", frame: skippedFrame)))
        } else if kind != .notSIP && !hunting {
            emit(.diagnostic(Diagnostic(SIPCode.tcpMidstream, .info,
                "frame \(skippedFrame): the capture began inside this TCP stream; \(skipped) bytes before the first SIP start line were skipped", frame: skippedFrame)))
        }
        skipped = 0
    }

    private mutating func reset() {
        waitingHeader = nil
        // A few messages' worth of capacity is kept for the next ones; a buffer that once grew past
        // it (a burst, a gap) is let go: a capture with many connections held 64 KiB for each.
        buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 13)
        marks.removeAll(keepingCapacity: true)
        head = 0
        scannedTo = 0
    }

    /// Drops consumed bytes so the buffer holds only what is still needed.
    private mutating func compact() {
        guard head > 0 else { return }
        if head >= buffer.count { reset(); return }
        if buffer.capacity > 1 << 16 && (buffer.count - head) * 4 < buffer.capacity {
            // Most of a large buffer is consumed: let go of it rather than keep its capacity.
            buffer = Array(buffer[head...])
        } else {
            buffer.removeFirst(head)
        }
        marks.drop(head)
        scannedTo = max(0, scannedTo - head)
        head = 0
    }

    /// The complete line starting at `i` (without its ending), or nil if its end has not arrived.
    private func lineAt(_ i: Int) -> ArraySlice<UInt8>? {
        guard let nl = buffer[i...].firstIndex(of: 0x0a) else { return nil }
        return buffer[i..<(nl > i && buffer[nl - 1] == 0x0d ? nl - 1 : nl)]
    }

    /// A complete SIP start line begins at `i`.
    private func startLineBegins(at i: Int) -> Bool {
        guard i < buffer.count, let line = lineAt(i) else { return false }
        return SIPStartLine.parse(line) != nil
    }

    /// The first index in `from..<before` where a complete SIP start line begins, at a line start.
    private func nextStartLine(from: Int, before: Int) -> Int? {
        var i = from
        while i < before {
            let atLineStart = i == 0 || buffer[i - 1] == 0x0a
            if atLineStart, SIPStartLine.mayBegin(buffer[i...i]), let line = lineAt(i), SIPStartLine.parse(line) != nil { return i }
            guard let nl = buffer[i..<before].firstIndex(of: 0x0a) else { return nil }
            i = nl + 1
        }
        return nil
    }

    private func onlyLineBreaks(from: Int) -> Bool {
        buffer[from...].allSatisfy { $0 == 0x0d || $0 == 0x0a }
    }

    private func looksLikeTLS(_ b: ArraySlice<UInt8>) -> Bool {
        guard b.count >= 3 else { return false }
        let s = b.startIndex
        return (b[s] == 0x16 || b[s] == 0x17 || b[s] == 0x15 || b[s] == 0x14) && b[s + 1] == 0x03 && b[s + 2] <= 0x04
    }
}
