import Buttons
import SIP
import Sender

/// What the phone sends on its own: a key press (the shared-line walk-through's `a=seize`
/// MESSAGE), the INVITE a key with `a=invite` dials, and its REGISTER. Built here, sent through
/// the shared sender (one way out).
public enum PhoneOutboundRequests {
    /// A press of `key` as a Snom sends it: Request-URI the phone's own identity at the
    /// registrar, To the key's destination (`n`, escaped as a URI user part), `Proxy-Require:
    /// buttons`, and a body of `k=`, `a=` (the key's action) and `t=<urn:uuid:…>` (the device's
    /// instance, the same in every press). Nil when the key has no `n=`: "If the Number is not
    /// available, the device will not perform any action."
    public static func keyPress(key: String, state: KeyState, user: String, domain: String, instance: String,
                                contact: String? = nil) -> OutgoingRequest? {
        guard let destination = state.destination, !destination.isEmpty else { return nil }
        let body = "k=\(key)\r\na=\(state.action)\r\nt=<\(instance)>\r\n"
        return OutgoingRequest(
            method: "MESSAGE",
            requestURI: "sip:\(SIPUserPart.escape(user))@\(domain)",
            from: "\"\(user)\" <sip:\(SIPUserPart.escape(user))@\(domain)>",
            to: "<sip:\(SIPUserPart.escape(destination))@\(domain)>",
            contact: contact,
            headers: [SIPHeader(name: "Proxy-Require", value: "buttons"),
                      SIPHeader(name: "Content-Type", value: ButtonsDocument.contentType)],
            body: Array(body.utf8))
    }

    /// The call a key with `a=invite` places: "the device would send out an INVITE request that
    /// dials *6013 in the domain of the registrar." The offer is audio, inactive: the emulator
    /// shows lamps, it carries no media.
    public static func invite(number: String, user: String, domain: String, contact: String, mediaHost: String) -> OutgoingRequest {
        let ip6 = mediaHost.contains(":")
        let sdp = "v=0\r\no=- 1 1 IN \(ip6 ? "IP6" : "IP4") \(mediaHost)\r\ns=ButtonScope emulated Snom\r\n"
            + "c=IN \(ip6 ? "IP6" : "IP4") \(mediaHost)\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n"
        return OutgoingRequest(
            method: "INVITE",
            requestURI: "sip:\(SIPUserPart.escape(number))@\(domain)",
            from: "\"\(user)\" <sip:\(SIPUserPart.escape(user))@\(domain)>",
            to: "<sip:\(SIPUserPart.escape(number))@\(domain)>",
            contact: contact,
            headers: [SIPHeader(name: "Content-Type", value: "application/sdp"), SIPHeader(name: "Supported", value: "buttons")],
            body: Array(sdp.utf8))
    }

    /// The REGISTER that tells a registrar this phone speaks x-buttons (`Supported: buttons`),
    /// with the listening address as Contact, its `line=` and `+sip.instance`, as the seed's:
    /// `Contact: <sip:44@172.20.25.101:2048;transport=tls;line=44qsudyt>; +sip.instance="<urn:uuid:…>"`.
    public static func register(user: String, domain: String, contact: PhoneListenAddress, line: String, instance: String,
                                expires: Int = 3600) -> OutgoingRequest {
        OutgoingRequest(
            method: "REGISTER",
            requestURI: "sip:\(domain)",
            from: "<sip:\(SIPUserPart.escape(user))@\(domain)>",
            to: "<sip:\(SIPUserPart.escape(user))@\(domain)>",
            contact: self.contact(user: user, address: contact, line: line, instance: instance),
            headers: [SIPHeader(name: "Supported", value: "buttons"), SIPHeader(name: "Expires", value: String(expires))])
    }

    /// `<sip:44@HOST:PORT[;transport=…];line=TOKEN>;+sip.instance="<urn:uuid:…>"`.
    public static func contact(user: String, address: PhoneListenAddress, line: String, instance: String) -> String {
        let transport = address.transport == .udp ? "" : ";transport=\(address.transport.rawValue)"
        return "<sip:\(SIPUserPart.escape(user))@\(address.hostForURI):\(address.port)\(transport);line=\(line)>;+sip.instance=\"<\(instance)>\""
    }

    /// An RFC 4122 version 4 UUID, lowercase.
    public static func randomUUID() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = bytes[6] & 0x0f | 0x40
        bytes[8] = bytes[8] & 0x3f | 0x80
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    /// `urn:uuid:` and an RFC 4122 UUID (hex, 8-4-4-4-12); the form `--instance` takes.
    public static func isInstanceURN(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("urn:uuid:") else { return false }
        let groups = lower.dropFirst(9).split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

/// RFC 3261 §25.1 `user`: unreserved and user-unreserved characters as they are, every other byte
/// of the UTF-8 percent-escaped, so mod_snom's action text (`api+uuid_transfer abc 9001`) makes a
/// Request-URI without raw spaces (`api+uuid_transfer%20abc%209001`).
public enum SIPUserPart {
    static let kept = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,;?/".utf8)

    public static func escape(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            if kept.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
