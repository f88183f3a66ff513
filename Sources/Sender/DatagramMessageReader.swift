import SIP

/// One UDP datagram as one SIP message (RFC 3261 §18.3): the body is cut at Content-Length, or
/// runs to the end of the datagram without one. Nil for keepalives and non-SIP noise.
enum DatagramMessageReader {
    static func read(_ bytes: [UInt8]) -> SIPMessage? {
        guard let end = SIPHeaderParser.headerEnd(bytes, from: 0), var message = SIPHeaderParser.parse(bytes[0..<end]) else {
            return nil
        }
        var body = Array(bytes[end...])
        if let n = message.declaredContentLength.value {
            // RFC 3261 §18.3: a datagram shorter than its Content-Length is malformed and discarded
            // (a truncated 200 must not count as the answer).
            if n > body.count { return nil }
            body = Array(body.prefix(n))
        }
        message.body = body
        return message
    }
}
