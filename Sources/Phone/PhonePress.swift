import Buttons
import SIP
import Sender

/// What pressing a key did, as the spec has the device act on the key's action and number.
public enum PhonePress: Sendable {
    /// `a=message`, `seize`, `release`…: the press MESSAGE (`Proxy-Require: buttons`) and its answer.
    case message(TransactionResult)
    /// `a=invite` (the default): the INVITE is on its way; `call.answer()` waits for the answer.
    case calling(OutgoingCall)
    /// A second press of a key whose call is up or ringing: CANCEL or BYE.
    case hungUp(OutgoingCall.Ending)
    /// No `n=`: "If the Number is not available, the device will not perform any action."
    case nothing(String)
}

extension EmulatedPhone {
    /// Presses `key` as a Snom does, sending through `sender` to `target` (the registrar, or
    /// `--press-to`): an INVITE to the key's number for `a=invite`, the press MESSAGE for any
    /// other action, nothing without a number. A key the phone was never told about has the
    /// defaults (action invite, no number): nothing. Pressing a key whose call is up ends it.
    public func press(_ key: String, via sender: SIPSender, to target: SIPTarget,
                      onProvisional: @escaping @Sendable (SIPMessage) -> Void = { _ in }) async throws -> PhonePress {
        if let call = calls.active(key) { return .hungUp(try await call.hangUp()) }
        let state = keys[key] ?? .defaults
        guard let number = state.destination, !number.isEmpty else {
            return .nothing("key \(key) has no number (n=): the device will not perform any action")
        }
        let domain = target.hostForURI
        let contactAddress = contactAddress(for: target)
        let contact = contactAddress.map {
            PhoneOutboundRequests.contact(user: configuration.user, address: $0, line: configuration.line, instance: configuration.instance)
        }
        if state.action.lowercased() == "invite" {
            let request = PhoneOutboundRequests.invite(number: number, user: configuration.user, domain: domain,
                                                       contact: contact ?? "<sip:\(SIPUserPart.escape(configuration.user))@\(domain)>",
                                                       mediaHost: contactAddress?.host ?? "0.0.0.0")
            let call = OutgoingCall(invite: request, to: target, via: sender, onProvisional: onProvisional)
            calls.add(call, for: key)
            call.start()
            return .calling(call)
        }
        guard let request = PhoneOutboundRequests.keyPress(key: key, state: state, user: configuration.user, domain: domain,
                                                           instance: configuration.instance, contact: contact) else {
            return .nothing("key \(key) has no number (n=): the device will not perform any action")
        }
        return .message(try await sender.send(request, to: target))
    }

    /// Whether the key started a call that is still up or ringing.
    public func hasCall(on key: String) -> Bool { calls.active(key) != nil }

    /// Ends every call the keys started (CANCEL or BYE each); what each got.
    public func hangUpAll() async -> [(key: String, ending: Result<OutgoingCall.Ending, Error>)] {
        var out: [(key: String, ending: Result<OutgoingCall.Ending, Error>)] = []
        for (key, call) in calls.removeAll().sorted(by: { $0.key < $1.key }) {
            do { out.append((key: key, ending: .success(try await call.hangUp()))) } catch { out.append((key: key, ending: .failure(error))) }
        }
        return out
    }

    /// Registers the listening address of the registrar's transport (the first one if none
    /// matches) with `registrar`: Contact with `line=` and `+sip.instance`.
    public func register(via sender: SIPSender, to registrar: SIPTarget) async throws -> TransactionResult {
        guard let contact = contactAddress(for: registrar) else { throw PhoneError.notRunning }
        let request = PhoneOutboundRequests.register(user: configuration.user, domain: registrar.hostForURI, contact: contact,
                                                     line: configuration.line, instance: configuration.instance)
        return try await sender.send(request, to: registrar)
    }

    /// The listening address written in Contact for requests to `target`: one of its transport.
    func contactAddress(for target: SIPTarget) -> PhoneListenAddress? {
        boundAddresses.first { $0.transport.rawValue == target.transport.rawValue } ?? boundAddresses.first
    }
}
