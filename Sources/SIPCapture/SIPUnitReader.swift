import SIP
import Capture
import Base

/// Reads one SIP message from a unit that carries exactly one (a UDP datagram's payload, a
/// WebSocket message, an SCTP user message, a HEP payload): the message ends where the unit ends,
/// so a missing Content-Length means "the rest of the unit" (RFC 3261 §18.3, RFC 7118 §5).
public enum SIPUnitReader {
    /// Nil when the unit does not begin with a SIP start line (CRLF keepalives skipped first).
    /// `hep`: the envelope it came in, given here so the message is made once (set afterwards, it
    /// copied the message's storage).
    public static func read(_ unit: ArraySlice<UInt8>, transport: TransportKind, frame: Int, frames: [Int], time: Timestamp,
                            source: Endpoint, destination: Endpoint, truncatedByCapture: Bool = false,
                            hep: HEPEnvelope? = nil) -> CapturedMessage? {
        var p = unit
        while let c = p.first, c == 0x0d || c == 0x0a { p = p.dropFirst() }
        // The start line is read once, by the parser below (nil when it is not one).
        guard SIPStartLine.mayBegin(p), p.firstIndex(of: 0x0a) != nil else { return nil }
        var diagnostics: [Diagnostic] = []
        let headerEnd = SIPHeaderParser.headerEnd(p, from: p.startIndex)
        guard var message = SIPHeaderParser.parse(p[p.startIndex..<(headerEnd ?? p.endIndex)]) else { return nil }
        if let h = headerEnd {
            message.body = Array(p[h...])
        } else if truncatedByCapture {
            diagnostics.append(Diagnostic(SIPCode.captureTruncated, .warning,
                "frame \(frame): the capture's snap length cut this message inside its headers", frame: frame))
        } else {
            diagnostics.append(Diagnostic(SIPCaptureCode.malformedSIP, .error,
                "frame \(frame): the SIP header section has no empty line ending it", frame: frame))
        }
        let reading = headerEnd == nil ? (effective: [UInt8](), diagnostics: [Diagnostic]()) :
            BodyReading.read(body: message.body, declared: message.declaredContentLength, transport: transport,
                             truncatedByCapture: truncatedByCapture, frame: frame)
        return CapturedMessage(message: message, frame: frame, frames: frames, time: time, transport: transport,
                               source: source, destination: destination, isTruncatedByCapture: truncatedByCapture,
                               diagnostics: reading.diagnostics + diagnostics, effectiveBody: reading.effective, hep: hep)
    }
}
