import SIPCapture
import SIP

/// One copy of a request, named so that it cannot be confused with another: its frame is not
/// enough, as one TCP segment can carry two requests. Copies of one request repeat its branch,
/// Call-ID and CSeq (that is what makes them copies), so an exchange names each of its copies.
public struct RequestCopy: Hashable, Sendable {
    public var frame: Int
    public var branch: String?
    public var callID: String?
    public var cseq: UInt32?

    /// The copy `m` is.
    public init(_ m: CapturedMessage) { self.init(m, frame: m.frame) }

    /// A copy of `m`'s request seen in `frame`.
    public init(_ m: CapturedMessage, frame: Int) {
        self.frame = frame
        branch = m.message.topViaBranch
        callID = m.message.callID
        cseq = m.message.cseq?.number
    }

    /// Every copy an exchange saw: its first and its retransmissions.
    public static func all(of e: Exchange) -> [RequestCopy] {
        [RequestCopy(e.request)] + e.retransmissions.map { RequestCopy(e.request, frame: $0.frame) }
    }
}
