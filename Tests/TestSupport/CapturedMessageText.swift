import Base
import SIP
import SIPCapture

/// A captured message from SIP text: `lines` are the start line and headers (Content-Length is
/// added with the body's true length, or `contentLength` when given, or left out when nil); the
/// body is taken byte for byte. Read the way the extractor reads one: the real header parser, and
/// Content-Length deciding the effective body and its diagnostics.
public func capturedMessage(_ lines: [String], body: String = "", contentLength: Int? = -1, frame: Int, time: Timestamp,
                            from source: Endpoint, to destination: Endpoint,
                            transport: TransportKind = .udp) -> CapturedMessage {
    let bodyBytes = Array(body.utf8)
    var all = lines
    if let contentLength { all.append("Content-Length: \(contentLength < 0 ? bodyBytes.count : contentLength)") }
    guard var message = SIPHeaderParser.parse(Array((all.joined(separator: "\r\n") + "\r\n\r\n").utf8)) else {
        fatalError("test message does not parse: \(lines.first ?? "")")
    }
    message.body = bodyBytes
    let reading = BodyReading.read(body: bodyBytes, declared: message.declaredContentLength, transport: transport,
                                   truncatedByCapture: false, frame: frame)
    return CapturedMessage(message: message, frame: frame, frames: [frame], time: time, transport: transport,
                           source: source, destination: destination, isTruncatedByCapture: false,
                           diagnostics: reading.diagnostics, effectiveBody: reading.effective)
}
