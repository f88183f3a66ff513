import SIPCapture
import Base
import Capture
import SIP

/// How a request ended, as far as the capture can tell.
public enum ExchangeOutcome: String, Sendable, Codable {
    /// A 2xx final answer.
    case accepted
    /// A final answer of 300 or more.
    case rejected
    /// Retransmitted, or older than Timer F (32 s) before the capture ended, and never answered.
    case unanswered
    /// No answer in the capture, but it ended (or the capture is one-sided) before Timer F ran out.
    case unknown
}

/// One response seen for a request.
public struct ExchangeResponse: Sendable {
    public var status: Int
    public var reason: String
    public var frame: Int
    public var time: Timestamp
    public var message: CapturedMessage

    public init(status: Int, reason: String, frame: Int, time: Timestamp, message: CapturedMessage) {
        self.status = status
        self.reason = reason
        self.frame = frame
        self.time = time
        self.message = message
    }
}

/// A non-INVITE client transaction (MESSAGE, REGISTER…) as seen on the wire: the request,
/// its retransmissions, its answers, and any ICMP error it provoked.
public struct Exchange: Sendable {
    public var method: String
    /// The first copy of the request.
    public var request: CapturedMessage
    /// Frames and times of later copies of the same request (same branch, same CSeq).
    public var retransmissions: [(frame: Int, time: Timestamp)]
    public var responses: [ExchangeResponse]
    /// ICMP unreachable errors that quote this request's datagram.
    public var unreachable: [ICMPUnreachable]
    public var outcome: ExchangeOutcome
    /// The order in which the tracker saw the request's first copy: breaks the tie between two
    /// requests completed by one frame (one TCP segment can carry both).
    public internal(set) var trackerOrder = 0

    public init(method: String, request: CapturedMessage, retransmissions: [(frame: Int, time: Timestamp)] = [],
                responses: [ExchangeResponse] = [], unreachable: [ICMPUnreachable] = [], outcome: ExchangeOutcome) {
        self.method = method
        self.request = request
        self.retransmissions = retransmissions
        self.responses = responses
        self.unreachable = unreachable
        self.outcome = outcome
    }

    /// The final (non-1xx) answer, if any: the first one seen.
    public var finalResponse: ExchangeResponse? { responses.first { $0.status >= 200 } }
    public var finalStatus: Int? { finalResponse?.status }

    /// From the first copy of the request to its final answer.
    public var latencyMs: Double? {
        finalResponse.map { $0.time.seconds(since: request.time) * 1000 }
    }
}
