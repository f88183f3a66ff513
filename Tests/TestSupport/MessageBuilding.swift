@testable import SIPCapture
import Base
import Capture
import SIP
@testable import Analysis

let pbx = Endpoint(address: IPAddress([192, 0, 2, 1]), port: 5060)
let phone44 = Endpoint(address: IPAddress([192, 0, 2, 44]), port: 5060)

/// A captured message from SIP text (LF or CRLF in `head`; the body is taken byte for byte),
/// read the way the extractor reads one: Content-Length decides the effective body.
func captured(_ head: String, body: String = "", frame: Int, at seconds: Double = 0,
              from source: Endpoint = pbx, to destination: Endpoint = phone44,
              transport: TransportKind = .udp, contentLength: Int? = -1) -> CapturedMessage {
    var headText = head.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let bodyBytes = Array(body.utf8)
    if let n = contentLength { headText += "Content-Length: \(n < 0 ? bodyBytes.count : n)\r\n" }
    guard var message = SIPHeaderParser.parse(Array((headText + "\r\n").utf8)) else {
        fatalError("test message does not parse: \(head)")
    }
    message.body = bodyBytes
    let reading = BodyReading.read(body: bodyBytes, declared: message.declaredContentLength, transport: transport,
                                   truncatedByCapture: false, frame: frame)
    let whole = Int64(seconds.rounded(.down))
    let time = Timestamp(seconds: 1_700_000_000 + whole, nanoseconds: Int64((seconds - Double(whole)) * 1e9))
    return CapturedMessage(message: message, frame: frame, frames: [frame], time: time, transport: transport,
                           source: source, destination: destination, isTruncatedByCapture: false,
                           diagnostics: reading.diagnostics, effectiveBody: reading.effective)
}

/// A MESSAGE from the PBX to phone 44 carrying `body` (CRLF lines given as `\r\n` in it).
func toPhone(_ body: String, frame: Int, at seconds: Double = 0, cseq: Int = 1, branch: String? = nil,
             contentType: String? = "application/x-buttons", user: String = "44",
             contentLength: Int? = -1, transport: TransportKind = .udp) -> CapturedMessage {
    // A copy of a request (same branch) keeps its Call-ID and tag too.
    let id = branch ?? "\(frame)"
    var head = """
    MESSAGE sip:\(user)@192.0.2.44:5060;line=abcd1234 SIP/2.0
    Via: SIP/2.0/UDP 192.0.2.1:5060;branch=\(branch ?? "z9hG4bK-\(frame)")
    From: <sip:\(user)@192.0.2.1>;tag=pbx\(id)
    To: <sip:\(user)@192.0.2.1>
    Call-ID: call-\(id)@192.0.2.1
    CSeq: \(cseq) MESSAGE

    """
    if let contentType { head += "Content-Type: \(contentType)\n" }
    return captured(head, body: body, frame: frame, at: seconds, transport: transport, contentLength: contentLength)
}

/// A key press from phone 44: `Proxy-Require: buttons`, To = the key's destination.
func fromPhone(_ body: String, frame: Int, at seconds: Double = 0) -> CapturedMessage {
    let head = """
    MESSAGE sip:1234@192.0.2.1 SIP/2.0
    Via: SIP/2.0/UDP 192.0.2.44:5060;branch=z9hG4bK-press\(frame)
    From: <sip:44@192.0.2.1>;tag=ph\(frame)
    To: <sip:1234@192.0.2.1>
    Call-ID: press-\(frame)@192.0.2.44
    CSeq: 7 MESSAGE
    Contact: <sip:44@192.0.2.44:5060;line=abcd1234>
    Proxy-Require: buttons
    Content-Type: application/x-buttons

    """
    return captured(head, body: body, frame: frame, at: seconds, from: phone44, to: pbx)
}

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
