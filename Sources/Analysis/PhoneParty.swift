import SIPCapture
import Capture
import Base
import SIP

/// Which way an x-buttons document travels.
public enum DocumentDirection: String, Sendable, Codable {
    /// From the registrar/PBX to the phone: it sets keys.
    case toPhone = "to-phone"
    /// From the phone to the registrar (`Proxy-Require: buttons`, `a=seize`…): a key press.
    case fromPhone = "from-phone"
}

/// A phone as DESIGN.md names it: its SIP user, with the host and contact address beside it.
public struct PhoneRef: Hashable, Sendable {
    public var user: String
    /// The phone's IP address as seen on the wire.
    public var host: String
    /// Where requests reach it (Request-URI of what the registrar sends, or its Contact).
    public var contact: String?

    public init(user: String, host: String, contact: String?) {
        self.user = user
        self.host = host
        self.contact = contact
    }
}

/// Decides, for a request, which side is the phone. DESIGN.md: the To user of what the
/// registrar sends it, the From user of what it sends.
public enum PhoneParty {
    /// A phone's own requests: REGISTER, and MESSAGE key presses marked `Proxy-Require: buttons`.
    public static func direction(of m: CapturedMessage) -> DocumentDirection {
        let msg = m.message
        if msg.method?.tokenUppercased == "REGISTER" { return .fromPhone }
        if hasProxyRequireButtons(msg) { return .fromPhone }
        if isPressShaped(msg) { return .fromPhone }
        return .toPhone
    }

    static func hasProxyRequireButtons(_ msg: SIPMessage) -> Bool {
        // Most requests have no Proxy-Require: answer that without splitting header values.
        guard msg.header("proxy-require") != nil else { return false }
        return msg.headerValues("proxy-require").contains { $0.lowercased() == "buttons" }
    }

    /// A key press that lacks `Proxy-Require: buttons`: the spec's press goes to the phone's own
    /// address-of-record (`MESSAGE sip:404@…`, From 404) with To naming the key's number
    /// (`*602co1`). What a registrar sends a phone has To = the phone (From = To in the spec and
    /// in mod_snom), so the To user differing from a Request-URI user that is the From user
    /// tells them apart.
    public static func isPressShaped(_ msg: SIPMessage) -> Bool {
        // To and Request-URI first: what a registrar sends a phone has them equal, and is done.
        guard msg.method?.tokenUppercased == "MESSAGE", let to = msg.toUser, let ruser = msg.requestUser, to != ruser,
              let from = msg.fromUser else { return false }
        return from == ruser
    }

    /// The `press-without-proxy-require` finding for a press that lacks the header, if it does.
    public static func missingProxyRequire(_ m: CapturedMessage) -> Diagnostic? {
        guard isPressShaped(m.message), !hasProxyRequireButtons(m.message) else { return nil }
        return Diagnostic(AnalysisCode.pressWithoutProxyRequire, .warning,
            "frame \(m.frame): a key press from \(m.message.fromUser ?? "?") (To \(m.message.toUser ?? "?"), the key's number) without "
            + "\"Proxy-Require: buttons\": the spec's press carries it so that only a registrar that handles presses takes it; "
            + "without it, a proxy on the way may route it as an ordinary MESSAGE to user \(m.message.toUser ?? "?")", frame: m.frame)
    }

    /// The phone a request concerns; nil for responses or when no user can be named.
    public static func phone(of m: CapturedMessage) -> PhoneRef? {
        guard m.message.isRequest else { return nil }
        return phone(of: m, direction: direction(of: m))
    }

    /// The same, for a caller that already knows the direction (each costs URI parses).
    public static func phone(of m: CapturedMessage, direction: DocumentDirection) -> PhoneRef? {
        guard let user = user(of: m, direction: direction) else { return nil }
        switch direction {
        case .fromPhone:
            let contact = m.message.header("contact").flatMap(SIPURI.init)?.raw
            return PhoneRef(user: user, host: m.source.address.description, contact: contact)
        case .toPhone:
            return PhoneRef(user: user, host: m.destination.address.description, contact: m.message.requestURI)
        }
    }

    /// Only the phone's user: without the host and contact strings a `PhoneRef` makes.
    public static func user(of m: CapturedMessage, direction: DocumentDirection) -> String? {
        let msg = m.message
        guard msg.isRequest else { return nil }
        switch direction {
        case .fromPhone: return msg.fromUser ?? msg.toUser
        case .toPhone: return msg.toUser ?? msg.requestUser
        }
    }
}
