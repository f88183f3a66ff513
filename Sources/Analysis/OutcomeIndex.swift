/// Finds the exchange a captured request belongs to by frame: its first copy or a retransmission.
///
/// The timeline reads messages in frame order and asks this what became of each one.
public struct OutcomeIndex: Sendable {
    private var byFrame: [Int: Exchange] = [:]

    public init(_ exchanges: [Exchange]) {
        for exchange in exchanges {
            byFrame[exchange.request.frame] = exchange
            for copy in exchange.retransmissions { byFrame[copy.frame] = exchange }
        }
    }

    public subscript(frame: Int) -> Exchange? { byFrame[frame] }
}
