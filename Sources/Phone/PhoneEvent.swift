import Buttons

/// What the phone reports as it runs: every request it answered, every key it changed, and
/// every packet it dropped (with why), so the terminal shows what a real phone keeps to itself.
public enum PhoneEvent: Sendable {
    case answered(method: String, status: Int, from: String, transport: PhoneListenAddress.Transport, time: Double)
    case keyChanged(PhoneKeyChange, from: String, time: Double)
    case dropped(reason: String, from: String, time: Double)
    /// The document had findings (a bare LF, an unknown light…): applied anyway, as a phone does.
    case documentFindings([String], from: String, time: Double)
}
