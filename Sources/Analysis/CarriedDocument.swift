import SIPCapture
import Buttons
import Base
import SIP

/// An x-buttons document found in a SIP request, decoded from the body the receiver read.
///
/// Found by Content-Type, or by the body's look when the type is wrong: a phone told
/// `text/plain` ignores the body, so the capture must say so instead of hiding the document.
public struct CarriedDocument: Sendable {
    public var request: CapturedMessage
    public var document: ButtonsDocument
    /// The request's Content-Type named x-buttons.
    public var isDeclaredButtons: Bool
    /// A buttons body under another type, or an x-buttons type on a body that is not one.
    public var hasWrongContentType: Bool
    /// Which way it travels, and the phone it concerns (`PhoneParty`), decided once: the lint,
    /// the timeline and every line shown asked again, each time with URI parses.
    public let direction: DocumentDirection
    public let phone: PhoneRef?

    /// Nil when the message is a response or carries nothing that is or claims to be x-buttons.
    public init?(_ request: CapturedMessage) {
        var none = DescriptionMemo.none
        self.init(request, memo: &none)
    }

    /// As `init(_:)`, with description blocks seen before taken from `memo`.
    public init?(_ request: CapturedMessage, memo: inout DescriptionMemo) {
        let msg = request.message
        guard msg.isRequest else { return nil }
        let declared = msg.contentType.map(ButtonsDocument.isButtonsContentType) ?? false
        let body = request.effectiveBody
        let looks = ButtonsDocument.looksLikeButtons(body)
        // The wire body counts too: a body cut to nothing by Content-Length still was a document.
        guard declared || looks || (msg.contentType == nil && ButtonsDocument.looksLikeButtons(msg.body)) else { return nil }
        self.request = request
        self.direction = PhoneParty.direction(of: request)
        self.phone = PhoneParty.phone(of: request, direction: direction)
        self.document = ButtonsDocument(decoding: body, memo: &memo)
        self.isDeclaredButtons = declared
        let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        // Under the right type, `K=1` (a letter in the wrong case) is a broken document, not a
        // wrong type: the decoder says what the phone makes of it.
        self.hasWrongContentType = declared ? !(looks || blank || ButtonsDocument.looksLikeButtons(body, ignoringCase: true)) : true
    }

    /// The effective body differs from the bytes that followed the headers on the wire.
    public var wasCut: Bool { request.effectiveBody != request.message.body }

    /// The `wrong-content-type` finding, when there is one: what the phone would do, in plain words.
    public var contentTypeDiagnostic: Diagnostic? {
        guard hasWrongContentType else { return nil }
        let frame = request.frame
        if isDeclaredButtons {
            return Diagnostic(AnalysisCode.wrongContentType, .error,
                "frame \(frame): Content-Type says application/x-buttons but the body does not start like an x-buttons entry (`k=…`): the phone will read no key from it", frame: frame)
        }
        let type = request.message.contentType.map { "Content-Type \"\($0)\"" } ?? "no Content-Type"
        return Diagnostic(AnalysisCode.wrongContentType, .error,
            "frame \(frame): the body is an x-buttons document but the message has \(type): a phone looks at the body only under application/x-buttons, so it will change no lamp", frame: frame)
    }
}
