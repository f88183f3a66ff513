import SIP

// SIP as it travels, as text: the messages the framer, parser and extractor tests feed.

/// A SIP MESSAGE with CRLF lines; `contentLength` nil writes the real length, "" leaves the header out.
public func sipMessage(callID: String = "call-1", cseq: Int = 1, branch: String = "z9hG4bK-1", body: String = "hello",
                       contentLength: String? = nil, extraHeaders: [String] = [], method: String = "MESSAGE") -> String {
    var lines = ["\(method) sip:44@10.0.0.2 SIP/2.0",
                 "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=\(branch)",
                 "From: <sip:pbx@10.0.0.1>;tag=a1",
                 "To: <sip:44@10.0.0.2>",
                 "Call-ID: \(callID)",
                 "CSeq: \(cseq) \(method)",
                 "Content-Type: application/x-buttons"] + extraHeaders
    let cl = contentLength ?? String(body.utf8.count)
    if !cl.isEmpty || contentLength == nil { lines.append("Content-Length: \(cl)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
}

/// The 200 (or `code`) to `sipMessage` with the same Call-ID, CSeq and branch.
public func sipResponse(code: Int = 200, callID: String = "call-1", cseq: Int = 1, branch: String = "z9hG4bK-1") -> String {
    ["SIP/2.0 \(code) OK", "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=\(branch)", "From: <sip:pbx@10.0.0.1>;tag=a1",
     "To: <sip:44@10.0.0.2>;tag=b2", "Call-ID: \(callID)", "CSeq: \(cseq) MESSAGE", "Content-Length: 0"]
        .joined(separator: "\r\n") + "\r\n\r\n"
}

/// The text read by the real header parser.
public func parse(_ s: String) -> SIPMessage? { SIPHeaderParser.parse(bytes(s)) }
