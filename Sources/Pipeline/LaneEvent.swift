import Base
import Analysis
import Buttons

/// A key event as a report lane draws it: the few values of a `KeyEvent` the drawing reads.
///
/// A report keeps up to `ReportData.laneBudget` events for the whole run; as whole `KeyEvent`s
/// (a 14-String `KeyState`, the phone, the key, the Call-ID each) they were 12 MB of a 1 GB
/// capture's report, the part that put it over 100 MB.
public struct LaneEvent: Sendable {
    public var time: Timestamp
    public var frame: Int
    public var direction: DocumentDirection
    public var outcome: ExchangeOutcome
    public var status: Int?
    /// The lamp state the document asked for (`KeyState.light`, `label`, `caller`).
    public var light: String
    public var label: String?
    public var caller: String?
    /// snake_case names of the properties that differ from the previous sent state.
    public var changed: [String]
    /// For a key press: what the phone sent, as (name, value) pairs.
    public var press: [(name: String, value: String)]?
    public var isPartial: Bool

    public init(_ e: KeyEvent) {
        time = e.time
        frame = e.frame
        direction = e.direction
        outcome = e.outcome
        status = e.status
        light = e.state.light
        label = e.state.label
        caller = e.state.caller
        changed = e.changed
        press = e.press
        isPartial = e.isPartial
    }
}
