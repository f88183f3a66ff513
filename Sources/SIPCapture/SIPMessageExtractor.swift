import SIP
import TLSKeys
import Capture
import Base
import TLSDecryption

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
    /// Frames that carried SIP, a keepalive, or a segment of a TCP connection that carried SIP:
    /// once the capture is finished, `frames == framesRead + unread.total`.
    public var framesRead = 0
    /// The capture's snap length as its cut packets show it (the most bytes kept of a packet it
    /// cut short); nil when it cut none.
    public var snapLength: Int?
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

    /// Layer decoders in other files count what they give up on: `statistics.unread.count(reason, frame:)`.
    public internal(set) var statistics = ExtractionStatistics()
    /// Frames waiting for their fate, and the fast path's counts (see `FrameAccounting`).
    var accounting = FrameAccounting()
    /// Keys for TLS connections: from the command line, and from Decryption Secrets Blocks as the
    /// capture reader meets them (`addTLSSecrets`, before the packets they unlock).
    public private(set) var tlsSecrets: TLSSecrets
    private var defragmenter = IPDefragmenter()
    private var reassembler = TCPReassembler()
    var framers: [TCPFlowKey: SIPStreamFramer] = [:]
    /// What every framer holds, in all (`SIPStreamFramer.footprint`): bounded by `maxPartialBytes`.
    var framerFootprint = 0
    /// Budget for partial TCP messages across all streams (see PartialMessageBudget.swift).
    public var maxPartialBytes = 32 << 20
    /// SIP over TLS: decrypted with `tlsSecrets`, framed like TCP.
    private var tls: TLSStreams
    /// Budget for what all TLS connections hold together (see TLSMemoryBudget.swift), and what they hold.
    public var maxTLSHeldBytes: Int { get { tls.maxHeldBytes } set { tls.maxHeldBytes = newValue } }
    public var tlsFootprint: Int { tls.footprint }
    /// TLS connections seen (bounded), so that those that never yielded SIP are booked as TLS
    /// at the end (`FrameAccounting`).
    private var tlsConnectionKeys: Set<TCPFlowKey> = []
    /// SIP inside WebSocket or HEP over TCP, and SIP over SCTP (see `CarrierOutput`).
    private var carried = CarriedStreams()
    private var sctp = SCTPMessageReader()
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
    /// `tlsRemedy`: how diagnostics name the keys that would unlock a TLS connection left unread.
    public init(ordered: Bool = false, maxHeldOutputs: Int = 4096, tlsSecrets: TLSSecrets = TLSSecrets(),
                tlsRemedy: TLSKeyRemedy = .words) {
        self.ordered = ordered
        self.tlsSecrets = tlsSecrets
        self.tls = TLSStreams(secrets: tlsSecrets, remedy: tlsRemedy)
        self.queue = FrameOrderQueue(capacity: maxHeldOutputs)
    }

    /// Outputs waiting for their turn (ordered mode).
    public var heldOutputs: Int { queue.count }
    /// Stream bytes held right now: out-of-order segments plus partial messages in the framers.
    /// A scan of every stream: for tests and reports, not per packet.
    public var bufferedStreamBytes: Int {
        framers.values.reduce(reassembler.bytesWaiting + tls.bufferedBytes) { $0 + $1.bufferedBytes } + carried.bufferedBytes + sctp.bytesWaiting
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
        tls.keyring.secrets = tlsSecrets
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
            if let l = tls.lowestHeldFrame, l < low { low = l }
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
            statistics.unread.count(UnreadReason.linkType(type), frame: frame.number)
            if unsupportedReported.insert(type.rawValue).inserted {
                emit(.diagnostic(Diagnostic(SIPCaptureCode.unsupportedLinkType, .error,
                    "frame \(frame.number): \(type) is not a link type ButtonScope can decode (supported: Ethernet with VLAN tags, Linux SLL/SLL2, raw IP, BSD loopback); such frames are skipped",
                    frame: frame.number)))
            }
            return
        case .failure(.tooShort):
            statistics.notIPFrames += 1
            statistics.unread.count(UnreadReason.linkHeaderCutShort, frame: frame.number)
            return
        }
        if case .ipv4 = network.kind, Self.isWholeNonSIPUDP(network.bytes), FrameAccounting.isRTPLike(network.bytes) {
            // The bulk of a PBX capture (RTP): counted as the full path would count it, without
            // building datagrams for it.
            statistics.ipDatagrams += 1
            statistics.udpDatagrams += 1
            statistics.nonSIPDatagrams += 1
            accounting.countRTP(frame: frame.number)
            return
        }
        // Past the fast path (counted exactly there): check the books once this frame is done.
        defer { settleBooks(frame) }
        processNetwork(network, frame: frame, tunnel: nil, emit: emit)
    }

    /// IP → transport → SIP for one network-layer packet: the frame's own, or one a tunnel carried
    /// (`tunnel`, then part of its flows' keys). Tunnel layers re-enter here, one level deeper.
    private func processNetwork(_ network: NetworkPayload, frame: CapturedFrame, tunnel: TunnelPath?, emit: (Output) -> Void) {
        if let peeled = TunnelDecoder.link(network) {
            enter(peeled, from: tunnel, frame: frame, emit: emit)
            return
        }
        let datagram: IPDatagram
        switch IPDecoder.decode(network, frame: frame.number, frameTruncated: frame.isTruncatedByCapture, tunnel: tunnel) {
        case .datagram(let d): datagram = d
        case .fragment(let f):
            var isV6 = false
            if case .ipv6 = network.kind { isV6 = true }
            accounting.holdFragment(frame: frame.number)
            let whole = defragmenter.add(f, frame: frame.number, time: frame.timestamp, ipv6: isV6)
            for d in defragmenter.takeDiagnostics() { emit(.diagnostic(d)) }
            guard let d = whole else { return }
            accounting.fragmentsCompleted(d.frames.count)
            datagram = d
        case .invalid:
            statistics.notIPFrames += 1
            countNotIP(network, frame: frame)
            return
        }
        statistics.ipDatagrams += 1
        if TunnelDecoder.isIPTunnel(datagram.transport), let peeled = TunnelDecoder.ip(datagram) {
            enter(peeled, from: tunnel, frame: frame, emit: emit)
            return
        }
        switch TransportDecoder.decode(datagram, frame: frame.number) {
        case .udp(let u):
            statistics.udpDatagrams += 1
            if TunnelDecoder.mayBeUDPTunnel(sourcePort: u.source.port, destinationPort: u.destination.port),
               let peeled = TunnelDecoder.udp(u) {
                enter(peeled, from: tunnel, frame: frame, emit: emit)
                return
            }
            handleUDP(u, frame: frame, emit: emit)
        case .tcp(let s):
            statistics.tcpSegments += 1
            reassembler.add(s, time: frame.timestamp) { key, event in self.handle(key, event, emit: emit) }
            applyIgnores()
            accounting.tcpSegment(s, frames: datagram.frames.count, firstFrame: datagram.frames.min() ?? frame.number, into: &statistics)
        case .unreachable(let icmp):
            emit(.unreachable(icmp, time: frame.timestamp))
            countICMPError(icmp, datagram)
        case .other where datagram.transport == 132:
            // A packet with DATA counts as read; carriers count control-only packets themselves.
            let counted = statistics.framesRead + statistics.unread.total
            sctp.add(datagram, frame: frame.number, time: frame.timestamp) { take($0, emit: emit) }
            if statistics.framesRead + statistics.unread.total == counted { countRead(datagram.frames) }
        case .other, .malformed:
            countOther(datagram)
        }
    }

    /// A tunnel layer peeled: its inner packet goes through the same pipeline, unless the nesting
    /// is deeper than `TunnelPath.maxDepth` or the layer held no IP.
    private func enter(_ peeled: TunnelPeel, from tunnel: TunnelPath?, frame: CapturedFrame, emit: (Output) -> Void) {
        switch peeled {
        case .inner(let inner, let layer):
            let path = tunnel.entering(layer)
            guard path.depth <= TunnelPath.maxDepth else {
                statistics.unread.count("tunnel deeper than \(TunnelPath.maxDepth) layers", frame: frame.number)
                emit(.diagnostic(Diagnostic(SIPCaptureCode.tunnelTooDeep, .warning,
                    "frame \(frame.number): tunnels nested more than \(TunnelPath.maxDepth) deep (\(path.layers.prefix(3).map(\.kind.name).joined(separator: ", "))…); the frame was not read",
                    frame: frame.number)))
                return
            }
            processNetwork(inner, frame: frame, tunnel: path, emit: emit)
        case .notSIP(let what):
            statistics.unread.count(what, frame: frame.number)
        case .malformed(let what):
            statistics.unread.count(what, frame: frame.number)
            emit(.diagnostic(Diagnostic(SIPCaptureCode.tunnelMalformed, .warning, "frame \(frame.number): \(what); the frame was not read", frame: frame.number)))
        }
    }

    /// The capture ended: waiting fragments and streams give what they have.
    public func finish(emit: (Output) -> Void) {
        reassembler.finish { key, event in
            if ordered { self.handle(key, event) { self.hold($0, emit: emit) } } else { self.handle(key, event, emit: emit) }
        }
        if ordered {
            throughTLS(emit: { self.hold($0, emit: emit) }) { $0.finish(statistics: &$1, emit: $2) }
        } else {
            throughTLS(emit: emit) { $0.finish(statistics: &$1, emit: $2) }
        }
        // TLS connections that never yielded SIP: their frames are TLS the capture could not read.
        for key in tlsConnectionKeys { accounting.stream(key, is: tls.hadWrongKeys(key) ? .tlsWrongKeys : .tls, into: &statistics) }
        defragmenter.finish()
        for d in defragmenter.takeDiagnostics() { emit(.diagnostic(d)) }
        accounting.finish(firstAbandonedFragment: defragmenter.firstAbandonedFrame, into: &statistics)
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
        let first = b[udp + 8]
        // HEP begins "HEP3" or with version 1 or 2: test the byte before making a slice for the decoder.
        guard length >= 9, !SIPStartLine.mayBegin(CollectionOfOne(first)),
              !((first == 0x48 || first == 1 || first == 2) && HEPDecoder.mayBegin(b[(udp + 8)..<end])) else { return false }
        // VXLAN, Geneve and GTP-U payloads cannot begin SIP either, but may carry it.
        return !TunnelDecoder.mayBeUDPTunnel(sourcePort: UInt16(b[udp]) << 8 | UInt16(b[udp + 1]),
                                             destinationPort: UInt16(b[udp + 2]) << 8 | UInt16(b[udp + 3]))
    }

    private func handleUDP(_ u: UDPDatagram, frame: CapturedFrame, emit: (Output) -> Void) {
        let counted = statistics.framesRead + statistics.unread.total
        if HEPUnitReader.readDatagram(u, frame: frame.number, time: frame.timestamp, emit: { take($0, emit: emit) }) {
            // A HEP datagram that yielded SIP is read; one that did not was counted by the reader.
            if statistics.framesRead + statistics.unread.total == counted { countRead(u.frames) }
            return
        }
        var p = u.payload
        while let c = p.first, c == 0x0d || c == 0x0a { p = p.dropFirst() }
        if p.isEmpty {
            if !u.payload.isEmpty { statistics.keepalives += 1; countRead(u.frames) } else { countNotSIP(u) }
            return
        }
        guard SIPStartLine.mayBegin(p), let nl = p.firstIndex(of: 0x0a),
              SIPStartLine.parse(p[p.startIndex..<(nl > p.startIndex && p[nl - 1] == 0x0d ? nl - 1 : nl)]) != nil else {
            statistics.nonSIPDatagrams += 1
            countNotSIP(u)
            return
        }
        var diagnostics: [Diagnostic] = []
        let headerEnd = SIPHeaderParser.headerEnd(p, from: p.startIndex)
        guard var message = SIPHeaderParser.parse(p[p.startIndex..<(headerEnd ?? p.endIndex)]) else {
            statistics.nonSIPDatagrams += 1
            countNotSIP(u)
            return
        }
        if let h = headerEnd {
            message.body = Array(p[h...])
        } else if u.isTruncatedByCapture {
            diagnostics.append(Diagnostic(SIPCode.captureTruncated, .warning,
                "frame \(frame.number): the capture's snap length cut this message inside its headers", frame: frame.number))
        } else {
            diagnostics.append(Diagnostic(SIPCaptureCode.malformedSIP, .error,
                "frame \(frame.number): the SIP header section has no empty line ending it", frame: frame.number))
        }
        let reading = headerEnd == nil ? (effective: [UInt8](), diagnostics: [Diagnostic]()) :
            BodyReading.read(body: message.body, declared: message.declaredContentLength, transport: .udp,
                             truncatedByCapture: u.isTruncatedByCapture, frame: frame.number)
        statistics.sipMessages += 1
        countRead(u.frames)
        accounting.sawSIP(between: u.source, and: u.destination)
        emit(.message(CapturedMessage(message: message, frame: frame.number, frames: u.frames.isAscending ? u.frames : u.frames.sorted(),
                                      time: frame.timestamp, transport: .udp, source: u.source, destination: u.destination,
                                      isTruncatedByCapture: u.isTruncatedByCapture,
                                      diagnostics: reading.diagnostics + diagnostics, effectiveBody: reading.effective,
                                      tunnel: u.tunnel)))
    }

    // MARK: - TCP

    /// Hands a framer's output on as the extractor's, naming the stream.
    func forward(_ output: SIPStreamFramer.Output, _ key: TCPFlowKey, emit: (Output) -> Void) {
        switch output {
        case .message(let m):
            self.statistics.sipMessages += 1
            self.accounting.stream(key, is: .sip, into: &self.statistics)
            self.accounting.sawSIP(between: key.source, and: key.destination)
            emit(.message(CapturedMessage(message: m.message, frame: m.frame, frames: m.frames, time: m.time,
                                          transport: .tcp, source: key.source, destination: key.destination,
                                          isTruncatedByCapture: m.isTruncatedByCapture,
                                          diagnostics: m.diagnostics, effectiveBody: m.effectiveBody,
                                          tunnel: key.tunnel)))
        case .diagnostic(var d):
            d.message += " (\(key))"
            emit(.diagnostic(d))
        }
    }

    /// What a carrier layer found, counted like the rest. `stream`: the TCP connection it came
    /// in, whose frames the accounting books as a whole (read once it yields SIP), so its unread
    /// units are not counted again here.
    private func take(_ output: CarrierOutput, stream: TCPFlowKey? = nil, emit: (Output) -> Void) {
        switch output {
        case .message(let m):
            statistics.sipMessages += 1
            if let key = stream {
                accounting.stream(key, is: .sip, into: &statistics)
                accounting.sawSIP(between: key.source, and: key.destination)
            }
            emit(.message(m))
        case .diagnostic(let d): emit(.diagnostic(d))
        case .unread(let reason, let frame):
            if stream == nil { statistics.unread.count(reason, frame: frame) }
        }
    }

    /// Runs a step of the TLS stage; the connections that yielded SIP in it have their frames
    /// booked as read (collected first: the stage holds `statistics` while it runs).
    private func throughTLS(emit: (Output) -> Void, _ step: (inout TLSStreams, inout ExtractionStatistics, (Output) -> Void) -> Void) {
        var yielded: [TCPFlowKey] = []
        withoutActuallyEscaping(emit) { emit in
            let noting: (Output) -> Void = { output in
                if case .message(let m) = output { yielded.append(TCPFlowKey(source: m.source, destination: m.destination)) }
                emit(output)
            }
            step(&tls, &statistics, noting)
        }
        for key in yielded {
            accounting.stream(key, is: .sip, into: &statistics)
            accounting.sawSIP(between: key.source, and: key.destination)
        }
    }

    private func handle(_ key: TCPFlowKey, _ event: TCPStreamEvent, emit: (Output) -> Void) {
        if tls.follows(key) {
            let now = self.now
            throughTLS(emit: emit) { $0.handle(key, event, time: now, statistics: &$1, emit: $2) }
            return
        }
        if carried.handle(key, event, time: now, emit: { take($0, stream: key, emit: emit) }) { return }
        // Taken out of the table while it changes, so its buffer grows in place (no copy per segment).
        var framer = framers.removeValue(forKey: key) ?? { var f = SIPStreamFramer(); f.followsCarriers = true; return f }()
        let footprintBefore = framer.footprint
        defer { accountFootprint(key, before: footprintBefore, emit: emit) }
        let out: (SIPStreamFramer.Output) -> Void = { self.forward($0, key, emit: emit) }
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
            accounting.stream(key, is: .notSIP, into: &statistics)
            toIgnore.append(key)
            framers[key] = nil
        case .tls:
            framers[key] = nil
            if case .data(let bytes, let frame) = event {
                statistics.tlsConnections += 1
                if tlsConnectionKeys.count < FrameAccounting.maxConnections { tlsConnectionKeys.insert(key) }
                let now = self.now
                throughTLS(emit: emit) { $0.begin(key, bytes, frame: frame, time: now, statistics: &$1, emit: $2) }
            }
        case .sip:
            accounting.stream(key, is: .sip, into: &statistics)
            framers[key] = framer
        case .webSocket, .hep:
            framers[key] = nil
            let handover = framer.handover ?? ([], 0)
            carried.adopt(key, framer.kind == .hep ? .hep : .webSocket, leftover: handover.bytes[...], frame: handover.frame,
                          time: now) { take($0, stream: key, emit: emit) }
        case .undecided:
            framers[key] = framer
        }
    }
}
