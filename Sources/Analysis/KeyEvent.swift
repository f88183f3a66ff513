import Base
import Buttons
import Capture

/// One x-buttons description applied to (or pressed on) one key: a line of a key's timeline.
public struct KeyEvent: Sendable {
    public var time: Timestamp
    public var frame: Int
    public var phone: PhoneRef
    public var key: String
    public var direction: DocumentDirection
    /// The lamp state the document asked for; for a key press, the lamp state it left unchanged.
    public var state: KeyState
    /// snake_case names of the properties that differ from the previous *sent* state.
    public var changed: [String]
    /// For a key press: what the phone sent (`a=seize`, `t=…`) as (name, value) pairs.
    public var press: [(name: String, value: String)]?
    public var outcome: ExchangeOutcome
    /// The final status code, when one came.
    public var status: Int?
    public var callID: String?
    /// The document was cut (Content-Length or capture snap length): the state may be partial.
    public var isPartial: Bool

    public init(time: Timestamp, frame: Int, phone: PhoneRef, key: String, direction: DocumentDirection,
                state: KeyState, changed: [String], press: [(name: String, value: String)]? = nil,
                outcome: ExchangeOutcome, status: Int?, callID: String?, isPartial: Bool = false) {
        self.time = time
        self.frame = frame
        self.phone = phone
        self.key = key
        self.direction = direction
        self.state = state
        self.changed = changed
        self.press = press
        self.outcome = outcome
        self.status = status
        self.callID = callID
        self.isPartial = isPartial
    }
}
