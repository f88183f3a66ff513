import Base

/// A reason a carrier (a HEP packet, a WebSocket frame, an SCTP chunk) could not be read: a
/// stable kebab-case code and a sentence; the pipeline adds the frame and the place.
public struct CarrierProblem: Sendable, Equatable {
    public var code: String
    public var message: String

    public init<Code: DiagnosticCode>(code: Code, message: String) {
        self.code = code.rawValue
        self.message = message
    }
}
