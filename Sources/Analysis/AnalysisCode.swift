import Base

/// The analysis layer's diagnostic and lint codes: what a key document or a press does wrong as
/// the phone would meet it.
public enum AnalysisCode: String, DiagnosticCode {
    case wrongContentType = "wrong-content-type"
    case bodyCut = "body-cut"
    case pressWithoutProxyRequire = "press-without-proxy-require"

    public var meaning: String {
        switch self {
        case .wrongContentType: "The body and the Content-Type disagree (an x-buttons body under another type, or the type over another body): the phone changes no lamp."
        case .bodyCut: "The document's body was cut (capture or Content-Length): findings past the cut are left out."
        case .pressWithoutProxyRequire: "A key press without \"Proxy-Require: buttons\", which the spec's press carries."
        }
    }
}
