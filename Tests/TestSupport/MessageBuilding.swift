import Base
import SIP
import SIPCapture

// A second set of fixtures (192.0.2.x, a Snom phone 44 and its PBX), written as multi-line text.

public let pbx = Endpoint(address: IPAddress([192, 0, 2, 1]), port: 5060)
public let phone44 = Endpoint(address: IPAddress([192, 0, 2, 44]), port: 5060)

/// A captured message from SIP text (LF or CRLF in `head`; the body is taken byte for byte),
/// read the way the extractor reads one: Content-Length decides the effective body.
public func captured(_ head: String, body: String = "", frame: Int, at seconds: Double = 0,
              from source: Endpoint = pbx, to destination: Endpoint = phone44,
              transport: TransportKind = .udp, contentLength: Int? = -1) -> CapturedMessage {
    var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    let whole = Int64(seconds.rounded(.down))
    let time = Timestamp(seconds: 1_700_000_000 + whole, nanoseconds: Int64((seconds - Double(whole)) * 1e9))
    return capturedMessage(lines, body: body, contentLength: contentLength, frame: frame, time: time,
                           from: source, to: destination, transport: transport)
}

/// A MESSAGE from the PBX to phone 44 carrying `body` (CRLF lines given as `\r\n` in it).
public func toPhone(_ body: String, frame: Int, at seconds: Double = 0, cseq: Int = 1, branch: String? = nil,
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
public func fromPhone(_ body: String, frame: Int, at seconds: Double = 0) -> CapturedMessage {
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
