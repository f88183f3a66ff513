import Base

/// Decides what a receiver read of a body, from Content-Length and the bytes that came.
///
/// RFC 3261 §18.3: over UDP a missing Content-Length means "the rest of the datagram", extra
/// bytes are ignored, and a datagram shorter than Content-Length is discarded; over TCP the
/// header is mandatory. A body the capture cut is the capture's fault and says so.
public enum BodyReading {
    public static func read(body: [UInt8], declared: DeclaredLength, transport: TransportKind,
                            truncatedByCapture: Bool, frame: Int) -> (effective: [UInt8], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        switch declared {
        case .absent:
            if transport.isStream {
                diagnostics.append(Diagnostic(SIPCode.contentLengthMissing, .error,
                    "frame \(frame): no Content-Length over TCP (RFC 3261 §20.14 makes it mandatory): the receiver cannot tell where the body ends", frame: frame))
            }
            return (body, diagnostics)
        case .invalid(let raw):
            diagnostics.append(Diagnostic(SIPCode.contentLengthInvalid, .error,
                "frame \(frame): Content-Length \"\(raw)\" is not a number: the receiver will reject the message (400)", frame: frame))
            return (body, diagnostics)
        case .value(let n):
            if body.count == n { return (body, diagnostics) }
            if body.count > n {
                diagnostics.append(Diagnostic(SIPCode.contentLengthMismatch, .error,
                    "frame \(frame): Content-Length is \(n) but \(body.count) body bytes were sent: the receiver reads only the first \(n) and drops the rest", frame: frame))
                return (Array(body.prefix(n)), diagnostics)
            }
            if truncatedByCapture {
                diagnostics.append(Diagnostic(SIPCode.captureTruncated, .warning,
                    "frame \(frame): the capture's snap length cut the body (\(body.count) of \(n) bytes kept); the message itself may be fine", frame: frame))
            } else if !transport.isStream {
                diagnostics.append(Diagnostic(SIPCode.contentLengthMismatch, .error,
                    "frame \(frame): Content-Length is \(n) but only \(body.count) body bytes were sent: a receiver following RFC 3261 discards the datagram", frame: frame))
            }
            return (body, diagnostics)
        }
    }
}
