import SIPCapture
import SIP

/// Finds the exchange a captured request belongs to: its first copy or a retransmission.
///
/// Keyed by frame and the request's branch, Call-ID and CSeq (`RequestCopy`): two requests in one
/// TCP segment share a frame, and each must get its own exchange's outcome.
public struct OutcomeIndex: Sendable {
    private var byCopy: [RequestCopy: Exchange] = [:]

    public init(_ exchanges: [Exchange]) {
        for exchange in exchanges {
            for copy in RequestCopy.all(of: exchange) { byCopy[copy] = exchange }
        }
    }

    /// The exchange `request` is a copy of.
    public subscript(request: CapturedMessage) -> Exchange? { byCopy[RequestCopy(request)] }
}
