@testable import Analysis
import SIPCapture
import TestSupport

/// The exchange of `request` answered with `status` (nil: no answer) one frame later.
func exchange(_ request: CapturedMessage, status: Int?, outcome: ExchangeOutcome? = nil,
              retransmittedAt frames: [Int] = []) -> Exchange {
    var responses: [ExchangeResponse] = []
    if let status {
        let response = captured("SIP/2.0 \(status) Whatever\nCSeq: 1 MESSAGE\n", frame: request.frame + 1,
                                from: request.destination, to: request.source)
        responses.append(ExchangeResponse(status: status, reason: "Whatever", frame: request.frame + 1,
                                          time: request.time, message: response))
    }
    let decided = outcome ?? (status.map { (200..<300).contains($0) ? .accepted : .rejected } ?? .unknown)
    return Exchange(method: "MESSAGE", request: request, retransmissions: frames.map { ($0, request.time) },
                    responses: responses, outcome: decided)
}
