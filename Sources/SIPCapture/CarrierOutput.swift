import Capture
import Base

/// What the carrier layers (WebSocket, HEP, SCTP) hand the extractor: messages, problems, and
/// frames that yielded no SIP (to be counted under a reason, see `UnreadFrames`).
public enum CarrierOutput {
    case message(CapturedMessage)
    case diagnostic(Diagnostic)
    case unread(String, frame: Int)

    /// A carrier problem as a diagnostic at its frame, with where it happened.
    static func problem(_ p: CarrierProblem, frame: Int, at place: String) -> CarrierOutput {
        .diagnostic(Diagnostic(p.code, .error, "frame \(frame): \(p.message) (\(place))", frame: frame))
    }
}
