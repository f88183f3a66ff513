import Capture
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
        if msg.method?.uppercased() == "REGISTER" { return .fromPhone }
        if msg.headerValues("proxy-require").contains(where: { $0.lowercased() == "buttons" }) { return .fromPhone }
        return .toPhone
    }

    /// The phone a request concerns; nil for responses or when no user can be named.
    public static func phone(of m: CapturedMessage) -> PhoneRef? {
        let msg = m.message
        guard msg.isRequest else { return nil }
        switch direction(of: m) {
        case .fromPhone:
            guard let user = msg.from?.user ?? msg.to?.user else { return nil }
            let contact = msg.header("contact").flatMap(SIPURI.init)?.raw
            return PhoneRef(user: user, host: m.source.address.description, contact: contact)
        case .toPhone:
            guard let user = msg.to?.user ?? msg.requestSIPURI?.user else { return nil }
            return PhoneRef(user: user, host: m.destination.address.description, contact: msg.requestURI)
        }
    }
}
