import Base

/// The SIP wire layer's diagnostic codes: framing a byte stream into messages and reading a
/// message's body by its Content-Length.
public enum SIPCode: String, DiagnosticCode {
    case captureTruncated = "capture-truncated"
    case tcpGap = "tcp-gap"
    case messageIncomplete = "message-incomplete"
    case headerTooLong = "header-too-long"
    case contentLengthMismatch = "content-length-mismatch"
    case contentLengthTooLarge = "content-length-too-large"
    case contentLengthMissing = "content-length-missing"
    case contentLengthInvalid = "content-length-invalid"
    case tcpResync = "tcp-resync"
    case tcpMidstream = "tcp-midstream"

    public var meaning: String {
        switch self {
        case .captureTruncated: "The capture's snap length cut this message; the message itself may be fine."
        case .tcpGap: "Bytes of the TCP stream were never captured: inside a message it is cut, between messages reading resumes at the next start line."
        case .messageIncomplete: "The stream ended (or gave up) inside a message: what arrived is shown."
        case .headerTooLong: "A header block longer than the limit: the stream was hunted to the next start line."
        case .contentLengthMismatch: "Content-Length does not match the body bytes that came."
        case .contentLengthTooLarge: "Content-Length declares more than the body limit: the body was not kept."
        case .contentLengthMissing: "A message on a byte stream has no Content-Length, which RFC 3261 §18.3 makes mandatory there."
        case .contentLengthInvalid: "Content-Length is not a number."
        case .tcpResync: "Bytes that are not SIP were skipped to the next SIP start line."
        case .tcpMidstream: "The capture began inside a TCP stream: bytes before the first start line were skipped."
        }
    }
}
