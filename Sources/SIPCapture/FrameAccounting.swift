import Base
import Capture

/// The extractor's books: every frame ends up either read (it carried SIP, a keepalive, or a
/// segment of a TCP connection that carried SIP) or unread under a reason (`UnreadFrames`), once.
///
/// Two kinds of frame cannot be settled when they are read: IP fragments (their datagram's fate
/// comes with the last fragment) and TCP segments of a connection whose bytes have not yet shown
/// what they are (the framer decides after the first message, or 64 KiB of hunting). Those wait
/// here as counts, not frames, and are settled when the fate is known or at the end.
/// Bounded: `maxConnections` connections are followed; past that the books are settled early.
struct FrameAccounting {
    /// What a TCP connection turned out to carry.
    enum StreamFate { case sip, notSIP, tls, tlsWrongKeys }

    /// Both directions of a connection: equal whichever way round.
    struct Connection: Hashable {
        var low: Endpoint
        var high: Endpoint
        init(_ a: Endpoint, _ b: Endpoint) { low = a; high = b }
        static func == (x: Connection, y: Connection) -> Bool {
            (x.low == y.low && x.high == y.high) || (x.low == y.high && x.high == y.low)
        }
        func hash(into hasher: inout Hasher) {
            hasher.combine(low.hashValue ^ high.hashValue)
        }
    }

    struct ConnectionBooks {
        var fate: StreamFate?
        var waiting = 0
        var firstWaiting = Int.max
        var sawPayload = false
    }

    static let maxConnections = 1 << 16
    static let maxSIPEndpoints = 4096

    /// RTP counted on the fast path: two integers, folded into `unread` when the books are read.
    private(set) var rtpFrames = 0
    private(set) var rtpFirstFrame = 0
    /// Fragments waiting for their datagram.
    private(set) var fragmentFrames = 0
    private(set) var firstFragmentFrame = Int.max
    /// TCP segments waiting for their connection's fate.
    private(set) var tcpWaiting = 0
    private var connections: [Connection: ConnectionBooks] = [:]
    /// Where SIP went: an ICMP error quoting a packet to one of these is about SIP.
    private var sipEndpoints: Set<Endpoint> = []

    /// Frames not settled yet, plus the RTP not yet folded: what `frames` must equal with
    /// `framesRead` and `unread.total`.
    var held: Int { rtpFrames + fragmentFrames + tcpWaiting }

    // MARK: - Fast path

    /// The RTP fast path: an integer add.
    @inline(__always)
    mutating func countRTP(frame: Int) {
        if rtpFrames == 0 { rtpFirstFrame = frame }
        rtpFrames += 1
    }

    /// An unfragmented IPv4 UDP datagram (already known to be `isWholeNonSIPUDP`) whose payload
    /// starts like a version-2 RTP or RTCP header, between unprivileged ports. Other non-SIP UDP
    /// takes the full path, where its port names it (and tunnels on UDP are found).
    @inline(__always)
    static func isRTPLike(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        let udp = s + Int(b[s] & 0x0f) * 4
        let sourcePort = Int(b[udp]) << 8 | Int(b[udp + 1])
        let destinationPort = Int(b[udp + 2]) << 8 | Int(b[udp + 3])
        return sourcePort >= 1024 && destinationPort >= 1024 && b[udp + 8] & 0xc0 == 0x80
    }

    // MARK: - Fragments

    mutating func holdFragment(frame: Int) {
        fragmentFrames += 1
        firstFragmentFrame = min(firstFragmentFrame, frame)
    }

    /// A datagram completed: its `count` fragments are no longer waiting (their fate is the
    /// datagram's, settled by the caller).
    mutating func fragmentsCompleted(_ count: Int) {
        fragmentFrames -= count
    }

    // MARK: - TCP

    /// One segment (or the `frames` fragments that carried it): settled at once when its
    /// connection's fate is known, else held.
    mutating func tcpSegment(_ s: TCPSegment, frames: Int, firstFrame: Int, into stats: inout ExtractionStatistics) {
        let c = Connection(s.source, s.destination)
        var books = connections[c] ?? ConnectionBooks()
        if s.payloadLength > 0 { books.sawPayload = true }
        if let fate = books.fate {
            settle(frames, firstFrame: firstFrame, fate: fate, c, into: &stats)
        } else {
            books.waiting += frames
            books.firstWaiting = min(books.firstWaiting, firstFrame)
            tcpWaiting += frames
        }
        connections[c] = books
        if connections.count > Self.maxConnections { settleAll(into: &stats) }
    }

    /// The framer found what a direction carries: the connection's held segments follow it. SIP
    /// wins over an earlier verdict (one direction may hunt through junk before its first message).
    mutating func stream(_ key: TCPFlowKey, is fate: StreamFate, into stats: inout ExtractionStatistics) {
        let c = Connection(key.source, key.destination)
        var books = connections[c] ?? ConnectionBooks()
        if books.fate == .sip || (books.fate != nil && fate != .sip) { return }
        books.fate = fate
        if books.waiting > 0 {
            settle(books.waiting, firstFrame: books.firstWaiting, fate: fate, c, into: &stats)
            tcpWaiting -= books.waiting
            books.waiting = 0
            books.firstWaiting = .max
        }
        connections[c] = books
    }

    private func settle(_ frames: Int, firstFrame: Int, fate: StreamFate?, _ c: Connection, into stats: inout ExtractionStatistics) {
        switch fate {
        case .sip: stats.framesRead += frames
        case .tls: stats.unread.count(UnreadReason.tcp(c.low.port, c.high.port, tls: true), frames: frames, firstFrame: firstFrame)
        case .tlsWrongKeys: stats.unread.count(UnreadReason.tlsWrongKeys, frames: frames, firstFrame: firstFrame)
        case .notSIP: stats.unread.count(UnreadReason.tcp(c.low.port, c.high.port, tls: false), frames: frames, firstFrame: firstFrame)
        case nil:
            let books = connections[c]
            stats.unread.count(books?.sawPayload == true ? UnreadReason.tcp(c.low.port, c.high.port, tls: false) : UnreadReason.tcpWithoutPayload,
                               frames: frames, firstFrame: firstFrame)
        }
    }

    /// Every held segment gets its connection's fate; connections never decided carried no SIP.
    private mutating func settleAll(into stats: inout ExtractionStatistics) {
        for (c, books) in connections where books.waiting > 0 {
            settle(books.waiting, firstFrame: books.firstWaiting, fate: books.fate, c, into: &stats)
        }
        tcpWaiting = 0
        connections = [:]
    }

    // MARK: - SIP endpoints, for ICMP

    mutating func sawSIP(between a: Endpoint, and b: Endpoint) {
        guard sipEndpoints.count < Self.maxSIPEndpoints else { return }
        sipEndpoints.insert(a)
        sipEndpoints.insert(b)
    }

    func isAboutSIP(_ icmp: ICMPUnreachable) -> Bool {
        [5060, 5061].contains(icmp.originalDestination.port) || [5060, 5061].contains(icmp.originalSource.port)
            || sipEndpoints.contains(icmp.originalDestination) || sipEndpoints.contains(icmp.originalSource)
    }

    // MARK: - End

    /// The capture ended (after the reassembler and defragmenter gave what they had): nothing
    /// stays held.
    /// `firstAbandonedFragment`: the defragmenter's lowest abandoned frame.
    mutating func finish(firstAbandonedFragment: Int?, into stats: inout ExtractionStatistics) {
        settleAll(into: &stats)
        if fragmentFrames > 0 {
            stats.unread.count(UnreadReason.fragmentsNeverCompleted, frames: fragmentFrames,
                               firstFrame: firstAbandonedFragment ?? firstFragmentFrame)
            fragmentFrames = 0
        }
        foldRTP(into: &stats)
    }

    mutating func foldRTP(into stats: inout ExtractionStatistics) {
        guard rtpFrames > 0 else { return }
        stats.unread.count(UnreadReason.rtpLike, frames: rtpFrames, firstFrame: rtpFirstFrame)
        rtpFrames = 0
    }

    /// The safety net, once per frame: a frame no layer settled is counted under `notDecoded`.
    @inline(__always)
    func unsettled(_ stats: ExtractionStatistics) -> Int {
        stats.frames - stats.framesRead - stats.unread.total - held
    }
}
