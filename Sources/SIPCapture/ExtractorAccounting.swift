import Capture

/// The extractor's give-up points, each counting the frame under the reason a person would give
/// (`UnreadReason`), and the once-per-frame check that every frame was counted.
extension SIPMessageExtractor {
    /// Frames that carried SIP or a keepalive.
    func countRead(_ frames: [Int]) {
        statistics.framesRead += frames.count
    }

    /// A UDP datagram (one frame, or its fragments) that is not SIP.
    func countNotSIP(_ u: UDPDatagram) {
        statistics.unread.count(UnreadReason.udp(source: u.source.port, destination: u.destination.port),
                                frames: u.frames.count, firstFrame: u.frames.min() ?? 0)
    }

    /// What the link layer carried when IP could not be read from it.
    func countNotIP(_ network: NetworkPayload, frame: CapturedFrame) {
        let reason: String
        switch network.kind {
        case .other(let value): reason = UnreadReason.notIP(linkType: frame.linkType, value: value)
        case .ipv4: reason = UnreadReason.malformedIP(version6: false)
        case .ipv6: reason = UnreadReason.malformedIP(version6: true)
        }
        statistics.unread.count(reason, frame: frame.number)
    }

    /// An ICMP error: read when it is about a packet to or from where SIP went (the `why` of an
    /// unanswered MESSAGE), else counted.
    func countICMPError(_ icmp: ICMPUnreachable, _ d: IPDatagram) {
        if accounting.isAboutSIP(icmp) {
            statistics.framesRead += d.frames.count
        } else {
            statistics.unread.count(UnreadReason.icmpNotAboutSIP, frames: d.frames.count, firstFrame: d.frames.min() ?? icmp.frame)
        }
    }

    /// A datagram that is neither UDP, TCP, nor an ICMP error the transport decoder took; or
    /// one whose transport header is broken.
    func countOther(_ d: IPDatagram) {
        let reason: String
        switch d.transport {
        case 1: reason = UnreadReason.icmp(type: d.payload.first, version6: false)
        case 58: reason = UnreadReason.icmp(type: d.payload.first, version6: true)
        case 6: reason = "malformed TCP"
        case 17: reason = "malformed UDP"
        default: reason = UnreadReason.ipProtocol(d.transport)
        }
        statistics.unread.count(reason, frames: d.frames.count, firstFrame: d.frames.min() ?? 0)
    }

    /// Once per frame: the snap length it shows, and a frame no layer counted is counted under
    /// `notDecoded` so the books always balance (a decoder that forgot to say why shows up there).
    @inline(__always)
    func settleBooks(_ frame: CapturedFrame) {
        if frame.isTruncatedByCapture, frame.bytes.count > (statistics.snapLength ?? 0) {
            statistics.snapLength = frame.bytes.count
        }
        let missing = accounting.unsettled(statistics)
        if missing > 0 { statistics.unread.count(UnreadReason.notDecoded, frames: missing, firstFrame: frame.number) }
    }
}
