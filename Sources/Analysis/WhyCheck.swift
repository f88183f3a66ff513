import Base

/// The links `why` checks, in order, as `why --json` names them (`check`).
public enum WhyCheck: String, DiagnosticCode {
    case documentSent = "document-sent"
    case registration
    case destination
    case answered
    case accepted
    case documentValid = "document-valid"
    case notOverwritten = "not-overwritten"

    public var meaning: String {
        switch self {
        case .documentSent: "The PBX sent an x-buttons document that names the key."
        case .registration: "The phone was registered when the document was sent."
        case .destination: "The document went to the phone's registered contact."
        case .answered: "The phone answered the request."
        case .accepted: "The answer was a 2xx."
        case .documentValid: "The document has no fault that keeps the phone from applying the key."
        case .notOverwritten: "No later document replaced the key's state."
        }
    }
}

extension WhyVerdict: DiagnosticCode {
    public var meaning: String {
        switch self {
        case .noDocument: "No document for the key was sent (first broken link: document-sent)."
        case .registration: "The phone was not registered when the document was sent."
        case .wrongDestination: "The document went somewhere other than the phone's registered contact."
        case .unanswered: "The phone never answered the request."
        case .rejected: "The phone answered with an error."
        case .brokenDocument: "The document has a fault that keeps the phone from applying the key."
        case .overwritten: "A later document replaced the key's state (the spec's semantics, not a fault)."
        case .accepted: "Every link holds: the phone accepted the document."
        }
    }
}
