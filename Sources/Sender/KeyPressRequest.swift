/// What `snom_command` fetches from a phone's web server: a key sequence, or one of the actions
/// (reboot, reset, clearing a call list). Only the path and query; the host comes from the user.
public enum KeyPressRequest: Hashable, Sendable {
    case keys(KeyPressSequence)
    case action(PhoneAction)

    /// The request target, e.g. `/command.htm?key=enter%2C50%2C5000%3Bcancel`.
    public var target: String {
        switch self {
        case .keys(let sequence): return "/command.htm?key=" + PercentEncoding.encode(sequence.text)
        case .action(let action): return action.target
        }
    }
}

/// mod_snom's `snom_command … action` verbs and the pages they fetch.
public enum PhoneAction: String, CaseIterable, Hashable, Sendable {
    case reboot, reset, dialeddel, misseddel, receiveddel

    public var target: String {
        switch self {
        case .reboot: return "/advanced_update.htm?reboot=Reboot"
        case .reset: return "/advanced_update.htm?reset=Reset"
        case .dialeddel, .misseddel, .receiveddel: return "/index.htm?\(rawValue)=0"
        }
    }
}
