import Buttons
import SIP
import Sender

/// What the phone sends on its own: a key press (the shared-line walk-through's `a=seize`
/// MESSAGE) and its REGISTER. Built here, sent through the shared sender (one way out).
public enum PhoneOutboundRequests {
    /// A press of `key` as a Snom sends it: Request-URI the phone's own identity at the
    /// registrar, To the key's destination (`n`), `Proxy-Require: buttons`, and a body of `k=`,
    /// `a=` (the key's action) and `t=<urn:uuid:…>`.
    public static func keyPress(key: String, state: KeyState, user: String, domain: String, uuid: String = randomUUID()) -> OutgoingRequest {
        let destination = state.destination.flatMap { $0.isEmpty ? nil : $0 } ?? user
        let body = "k=\(key)\r\na=\(state.action)\r\nt=<urn:uuid:\(uuid)>\r\n"
        return OutgoingRequest(
            method: "MESSAGE",
            requestURI: "sip:\(user)@\(domain)",
            from: "\"\(user)\" <sip:\(user)@\(domain)>",
            to: "<sip:\(destination)@\(domain)>",
            headers: [SIPHeader(name: "Proxy-Require", value: "buttons"),
                      SIPHeader(name: "Content-Type", value: ButtonsDocument.contentType)],
            body: Array(body.utf8))
    }

    /// The REGISTER that tells a registrar this phone speaks x-buttons (`Supported: buttons`),
    /// with the listening address as Contact so its MESSAGEs come to the emulator.
    public static func register(user: String, domain: String, contact: PhoneListenAddress, expires: Int = 3600) -> OutgoingRequest {
        let transport = contact.transport == .udp ? "" : ";transport=\(contact.transport.rawValue)"
        return OutgoingRequest(
            method: "REGISTER",
            requestURI: "sip:\(domain)",
            from: "<sip:\(user)@\(domain)>",
            to: "<sip:\(user)@\(domain)>",
            contact: "<sip:\(user)@\(contact.hostForURI):\(contact.port)\(transport)>",
            headers: [SIPHeader(name: "Supported", value: "buttons"), SIPHeader(name: "Expires", value: String(expires))])
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
}

extension EmulatedPhone {
    /// Presses `key`: sends its MESSAGE through `sender` to `target` (the registrar, or `--press-to`).
    /// A key the phone was never told about presses with the defaults (action `invite`).
    public func press(_ key: String, via sender: SIPSender, to target: SIPTarget) async throws -> TransactionResult {
        let state = keys[key] ?? .defaults
        let request = PhoneOutboundRequests.keyPress(key: key, state: state, user: configuration.user, domain: target.hostForURI)
        return try await sender.send(request, to: target)
    }

    /// Registers the first listening address with `registrar`.
    public func register(via sender: SIPSender, to registrar: SIPTarget) async throws -> TransactionResult {
        guard let contact = boundAddresses.first else { throw PhoneError.notRunning }
        let request = PhoneOutboundRequests.register(user: configuration.user, domain: registrar.hostForURI, contact: contact)
        return try await sender.send(request, to: registrar)
    }
}
