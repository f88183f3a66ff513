import Capture
import Diagnostics

/// Counts of what the capture held, for the summary and for "nothing found" explanations.
public struct ExtractionStatistics: Sendable, Codable {
    public var frames = 0
    public var ipDatagrams = 0
    public var udpDatagrams = 0
    public var tcpSegments = 0
    public var sipMessages = 0
    public var nonSIPDatagrams = 0
    public var nonSIPStreams = 0
    public var keepalives = 0
    public var tlsConnections = 0
    public var notIPFrames = 0
    public var unsupportedLinkFrames = 0
    /// Frames that yielded no SIP, by reason (see `UnreadFrames`).
    public var unread = UnreadFrames()
    public var firstTime: Double?
    public var lastTime: Double?
    public init() {}
}

/// The pipeline from frames to SIP messages: link → IP (defragmented) → UDP | TCP (reassembled)
/// → SIP framing. Streaming: it holds only fragments and stream bytes still waiting, bounded.
public final class SIPMessageExtractor {
    public enum Output {
        case message(CapturedMessage)
        case diagnostic(Diagnostic)
        case unreachable(ICMPUnreachable, time: Timestamp)
    }

    public private(set) var statistics = ExtractionStatistics()
    /// Keys for TLS connections: from the command line, and from Decryption Secrets Blocks as the
    /// capture reader meets them (`addTLSSecrets`, before the packets they unlock).
    public private(set) var tlsSecrets: TLSSecrets
    private var defragmenter = IPDefragmenter()
    private var reassembler = TCPReassembler()
    private var framers: [TCPFlowKey: SIPStreamFramer] = [:]
    /// SIP inside WebSocket or HEP over TCP, and SIP over SCTP (see `CarrierOutput`).
    private var carried = CarriedStreams()
    private var sctp = SCTPMessageReader()
    private var tlsReported: Set<TCPFlowKey> = []
    private var unsupportedReported: Set<UInt32> = []
    private var lastExpiry: Timestamp?
    /// Streams to stop buffering, applied once the reassembler call that found them returns.
    private var toIgnore: [TCPFlowKey] = []
    private var now = Timestamp(seconds: 0, nanoseconds: 0)

    /// Emit messages and ICMP errors in frame order (see `FrameOrderQueue`); diagnostics go at once.
    public let ordered: Bool
    private var queue: FrameOrderQueue<Output>
    private var lowWater = 0
    private var lastScan = 0

    /// `ordered`: hold outputs just long enough to hand them out in frame order, at most
    /// `maxHeldOutputs` at a time (a bound, so memory does not grow with the capture).
    public init(ordered: Bool = false, maxHeldOutputs: Int = 4096, tlsSecrets: TLSSecrets = TLSSecrets()) {
        self.ordered = ordered
        self.tlsSecrets = tlsSecrets
        self.queue = FrameOrderQueue(capacity: maxHeldOutputs)
    }

    /// Outputs waiting for their turn (ordered mode).
    public var heldOutputs: Int { queue.count }
    /// Stream bytes held right now: out-of-order segments plus partial messages in the framers.
    /// A scan of every stream: for tests and reports, not per packet.
    public var bufferedStreamBytes: Int {
        framers.values.reduce(reassembler.bytesWaiting) { $0 + $1.bufferedBytes } + carried.bufferedBytes + sctp.bytesWaiting
    }
    /// TCP directions being followed right now (bounded by the reassembler's `maxStreams`).
    public var tcpStreamCount: Int { reassembler.streamCount }
    /// IP datagrams waiting for fragments, and their bytes.
    public var pendingFragments: (datagrams: Int, bytes: Int) { (defragmenter.pendingCount, defragmenter.bytesPending) }
    /// Messages that came out behind a later frame because the queue was full when they were found.
    public var outputsOutOfOrder: Int { queue.lateItems }

    /// Every link type seen was one we cannot decode: the capture is unusable for us.
    public var onlyUnsupportedLinkTypes: Bool {
        statistics.frames > 0 && statistics.unsupportedLinkFrames == statistics.frames
    }

    public var unsupportedLinkTypes: [LinkType] { unsupportedReported.sorted().map(LinkType.init) }

    /// Secrets found on the way (a pcapng Decryption Secrets Block): they unlock what follows.
    public func addTLSSecrets(_ more: TLSSecrets) {
        tlsSecrets.merge(more)
    }

    public func process(_ frame: CapturedFrame, emit: (Output) -> Void) {
        guard ordered else { processFrame(frame, emit: emit); return }
        processFrame(frame) { self.hold($0, emit: emit) }
        guard !queue.isEmpty else { return }
        // A fresh low water costs a scan of every stream: take one at most every `interval` frames.
        let interval = max(64, framers.count + reassembler.streamCount)
        if frame.number - lastScan >= interval || queue.count >= queue.capacity {
            lastScan = frame.number
            var low = frame.number
            for f in framers.values { if let l = f.lowestHeldFrame, l < low { low = l } }
            if let l = reassembler.lowestWaitingFrame, l < low { low = l }
            for l in [carried.lowestHeldFrame, sctp.lowestWaitingFrame].compactMap({ $0 }) where l < low { low = l }
            lowWater = low
        }
        queue.release(upTo: lowWater, emit)
    }

    private func hold(_ output: Output, emit: (Output) -> Void) {
        switch output {
        case .message(let m): queue.insert(output, frame: m.frame)
        case .unreachable(let icmp, _): queue.insert(output, frame: icmp.frame)
        case .diagnostic: emit(output)
        }
    }

    private func processFrame(_ frame: CapturedFrame, emit: (Output) -> Void) {
        statistics.frames += 1
        now = frame.timestamp
        let t = frame.timestamp.epochSeconds
        if statistics.firstTime == nil { statistics.firstTime = t }
        statistics.lastTime = t
        expireIfDue(emit: emit)

        let network: NetworkPayload
        switch LinkDecoder.decode(frame.bytes[...], linkType: frame.linkType) {
        case .success(let n): network = n
        case .failure(.unsupported(let type)):
            statistics.unsupportedLinkFrames += 1
            if unsupportedReported.insert(type.rawValue).inserted {
                emit(.diagnostic(Diagnostic("unsupported-link-type", .error,
                    "frame \(frame.number): \(type) is not a link type ButtonScope can decode (supported: Ethernet with VLAN tags, Linux SLL/SLL2, raw IP, BSD loopback); such frames are skipped",
                    frame: frame.number)))
            }
            return
        case .failure(.tooShort):
            statistics.notIPFrames += 1
            return
        }
        if case .ipv4 = network.kind, Self.isWholeNonSIPUDP(network.bytes) {
            // The bulk of a PBX capture (RTP): counted as the full path would count it, without
            // building datagrams for it.
            statistics.ipDatagrams += 1
            statistics.udpDatagrams += 1
            statistics.nonSIPDatagrams += 1
            return
        }
        let datagram: IPDatagram
        switch IPDecoder.decode(network, frame: frame.number, frameTruncated: frame.isTruncatedByCapture) {
        case .datagram(let d): datagram = d
        case .fragment(let f):
            var isV6 = false
            if case .ipv6 = network.kind { isV6 = true }
            let whole = defragmenter.add(f, frame: frame.number, time: frame.timestamp, ipv6: isV6)
            for d in defragmenter.takeDiagnostics() { emit(.diagnostic(d)) }
            guard let d = whole else { return }
            datagram = d
        case .invalid:
            statistics.notIPFrames += 1
            return
        }
        statistics.ipDatagrams += 1
        switch TransportDecoder.decode(datagram, frame: frame.number) {
        case .udp(let u):
            statistics.udpDatagrams += 1
            handleUDP(u, frame: frame, emit: emit)
        case .tcp(let s):
            statistics.tcpSegments += 1
            reassembler.add(s, time: frame.timestamp) { key, event in self.handle(key, event, emit: emit) }
            applyIgnores()
        case .unreachable(let icmp):
            emit(.unreachable(icmp, time: frame.timestamp))
        case .other where datagram.transport == 132:
            sctp.add(datagram, frame: frame.number, time: frame.timestamp) { take($0, emit: emit) }
        case .other, .malformed:
            break
        }
    }

    /// The capture ended: waiting fragments and streams give what they have.
    public func finish(emit: (Output) -> Void) {
        reassembler.finish { key, event in
            if ordered { self.handle(key, event) { self.hold($0, emit: emit) } } else { self.handle(key, event, emit: emit) }
        }
        defragmenter.finish()
        for d in defragmenter.takeDiagnostics() { emit(.diagnostic(d)) }
        queue.releaseAll(emit)
    }

    private func expireIfDue(emit: (Output) -> Void) {
        guard let last = lastExpiry else { lastExpiry = now; return }
        guard now.seconds(since: last) >= 10 else { return }
        lastExpiry = now
        defragmenter.expire(now: now)
        for d in defragmenter.takeDiagnostics() { emit(.diagnostic(d)) }
        reassembler.expire(now: now) { key, event in self.handle(key, event, emit: emit) }
        applyIgnores()
    }

    private func applyIgnores() {
        for key in toIgnore { reassembler.ignore(key) }
        toIgnore.removeAll()
    }

    // MARK: - UDP

    /// An unfragmented IPv4 UDP datagram whose payload's first byte cannot begin a SIP message
    /// (nor a CRLF keepalive): exactly the datagrams `handleUDP` would count as non-SIP.
    static func isWholeNonSIPUDP(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        guard b.count >= 20, b[s] >> 4 == 4, b[s + 9] == 17 else { return false }
        let headerLength = Int(b[s] & 0x0f) * 4
        let total = Int(b[s + 2]) << 8 | Int(b[s + 3])
        let flagsOffset = Int(b[s + 6]) << 8 | Int(b[s + 7])
        guard headerLength >= 20, b.count >= headerLength, total >= headerLength, flagsOffset & 0x3fff == 0 else { return false }
        let end = min(b.endIndex, s + total)
        let udp = s + headerLength
        guard end - udp >= 9 else { return false }
        let length = Int(b[udp + 4]) << 8 | Int(b[udp + 5])
        guard length >= 9 else { return false }
        return !SIPStartLine.mayBegin(CollectionOfOne(b[udp + 8])) && !HEPDecoder.mayBegin(b[(udp + 8)..<end])
    }

    private func handleUDP(_ u: UDPDatagram, frame: CapturedFrame, emit: (Output) -> Void) {
        if HEPUnitReader.readDatagram(u, frame: frame.number, time: frame.timestamp, emit: { take($0, emit: emit) }) { return }
        var p = u.payload
        while let c = p.first, c == 0x0d || c == 0x0a { p = p.dropFirst() }
        if p.isEmpty {
            if !u.payload.isEmpty { statistics.keepalives += 1 }
            return
        }
        guard SIPStartLine.mayBegin(p), let nl = p.firstIndex(of: 0x0a),
              SIPStartLine.parse(p[p.startIndex..<(nl > p.startIndex && p[nl - 1] == 0x0d ? nl - 1 : nl)]) != nil else {
            statistics.nonSIPDatagrams += 1
            return
        }
        var diagnostics: [Diagnostic] = []
        let headerEnd = SIPHeaderParser.headerEnd(p, from: p.startIndex)
        guard var message = SIPHeaderParser.parse(p[p.startIndex..<(headerEnd ?? p.endIndex)]) else {
            statistics.nonSIPDatagrams += 1
            return
        }
        if let h = headerEnd {
            message.body = Array(p[h...])
        } else if u.isTruncatedByCapture {
            diagnostics.append(Diagnostic("capture-truncated", .warning,
                "frame \(frame.number): the capture's snap length cut this message inside its headers", frame: frame.number))
        } else {
            diagnostics.append(Diagnostic("malformed-sip", .error,
                "frame \(frame.number): the SIP header section has no empty line ending it", frame: frame.number))
        }
        let reading = headerEnd == nil ? (effective: [UInt8](), diagnostics: [Diagnostic]()) :
            BodyReading.read(body: message.body, declared: message.declaredContentLength, transport: .udp,
                             truncatedByCapture: u.isTruncatedByCapture, frame: frame.number)
        statistics.sipMessages += 1
        emit(.message(CapturedMessage(message: message, frame: frame.number, frames: u.frames.sorted(),
                                      time: frame.timestamp, transport: .udp, source: u.source, destination: u.destination,
                                      isTruncatedByCapture: u.isTruncatedByCapture,
                                      diagnostics: reading.diagnostics + diagnostics, effectiveBody: reading.effective)))
    }

    // MARK: - TCP

    /// What a carrier layer found, counted like the rest.
    private func take(_ output: CarrierOutput, emit: (Output) -> Void) {
        switch output {
        case .message(let m):
            statistics.sipMessages += 1
            emit(.message(m))
        case .diagnostic(let d): emit(.diagnostic(d))
        case .unread(let reason, let frame): statistics.unread.count(reason, frame: frame)
        }
    }

    private func handle(_ key: TCPFlowKey, _ event: TCPStreamEvent, emit: (Output) -> Void) {
        if carried.handle(key, event, time: now, emit: { take($0, emit: emit) }) { return }
        var framer = framers[key] ?? { var f = SIPStreamFramer(); f.followsCarriers = true; return f }()
        let out: (SIPStreamFramer.Output) -> Void = { output in
            switch output {
            case .message(let m):
                self.statistics.sipMessages += 1
                emit(.message(CapturedMessage(message: m.message, frame: m.frame, frames: m.frames, time: m.time,
                                              transport: .tcp, source: key.source, destination: key.destination,
                                              isTruncatedByCapture: m.isTruncatedByCapture,
                                              diagnostics: m.diagnostics, effectiveBody: m.effectiveBody)))
            case .diagnostic(var d):
                d.message += " (\(key))"
                emit(.diagnostic(d))
            }
        }
        switch event {
        case .data(let bytes, let frame):
            framer.append(bytes, frame: frame, time: now, emit: out)
        case .gap(let missing, let frame, let truncated):
            framer.gap(missing: missing, frame: frame, truncatedByCapture: truncated, emit: out)
        case .closed:
            framer.close(emit: out)
            framers[key] = nil
            return
        }
        switch framer.kind {
        case .notSIP:
            statistics.nonSIPStreams += 1
            toIgnore.append(key)
            framers[key] = nil
        case .tls:
            toIgnore.append(key)
            framers[key] = nil
            let connection = key.source.description < key.destination.description ? key : key.reversed
            if tlsReported.insert(connection).inserted {
                statistics.tlsConnections += 1
                var frame = 0
                if case .data(_, let f) = event { frame = f }
                emit(.diagnostic(Diagnostic("tls-unreadable", .warning,
                    "frame \(frame): TCP \(key) carries TLS (SIP over TLS, usually port 5061): its messages cannot be read from the capture", frame: frame)))
            }
        case .webSocket, .hep:
            framers[key] = nil
            let handover = framer.handover ?? ([], 0)
            carried.adopt(key, framer.kind == .hep ? .hep : .webSocket, leftover: handover.bytes[...], frame: handover.frame,
                          time: now) { take($0, emit: emit) }
        default:
            framers[key] = framer
        }
    }
}
