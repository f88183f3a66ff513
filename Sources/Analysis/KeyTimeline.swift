import Buttons
import Capture
import SIP

/// Per phone, per key: every x-buttons document in time order, and what each key was last sent
/// and most likely shows.
///
/// Incremental: feed requests in frame order; each call returns the events it caused. What is
/// kept is bounded by phones × keys (and by `RetransmissionDetector`'s window), not by messages,
/// so `state` over a long capture holds only the panels.
public struct KeyTimeline {
    /// A phone is its SIP user on one device: two devices sharing a user each show what they accepted.
    struct PhoneKey: Hashable { var user: String; var host: String }

    public static let maxPhones = 10_000
    public static let maxKeysPerPhone = 1_000

    private var panels: [PhoneKey: PhonePanel] = [:]
    private var detector = RetransmissionDetector()
    /// Keys or phones beyond the limits: their events are reported but not remembered.
    public private(set) var forgottenKeys = 0

    public init() {}

    /// Every phone seen, by user then host.
    public var phones: [PhonePanel] {
        panels.values.sorted { ($0.phone.user, $0.phone.host) < ($1.phone.user, $1.phone.host) }
    }

    /// Consumes a message whose fate is known from the exchange tracker. A retransmission (a frame
    /// that is not the exchange's first copy) causes no event.
    public mutating func add(_ message: CapturedMessage, exchange: Exchange?) -> [KeyEvent] {
        if let exchange {
            guard exchange.request.frame == message.frame else { return [] }
            return apply(message, outcome: exchange.outcome, status: exchange.finalStatus)
        }
        return add(message, outcome: .unknown, status: nil)
    }

    /// Consumes a message whose fate was decided elsewhere; repeats of a request seen moments ago
    /// (same branch, CSeq, direction) are dropped as retransmissions.
    public mutating func add(_ message: CapturedMessage, outcome: ExchangeOutcome, status: Int?) -> [KeyEvent] {
        guard message.message.isRequest, !detector.isRetransmission(message) else { return [] }
        return apply(message, outcome: outcome, status: status)
    }

    private mutating func apply(_ message: CapturedMessage, outcome: ExchangeOutcome, status: Int?) -> [KeyEvent] {
        guard let carried = CarriedDocument(message), let phone = PhoneParty.phone(of: message) else { return [] }
        let direction = PhoneParty.direction(of: message)
        let id = PhoneKey(user: phone.user, host: phone.host)
        // Taken out of the dictionary while it changes: a copy still in `panels` would make every
        // message copy the phone's whole key table (copy on write).
        let existing = panels.removeValue(forKey: id)
        var panel = existing ?? PhonePanel(phone: phone)
        panel.phone.contact = phone.contact ?? panel.phone.contact
        let storable = existing != nil || panels.count < KeyTimeline.maxPhones
        let partial = message.isTruncatedByCapture || carried.wasCut
            || message.diagnostics.contains { DocumentLint.captureFaults.contains($0.code) }

        var events: [KeyEvent] = []
        for description in carried.document.descriptions {
            guard let key = description.key else { continue }
            var slot = panel.slots[key] ?? KeySlot(key: key)
            let previous = slot.sent?.state ?? KeyState.defaults
            switch direction {
            case .toPhone:
                let state = description.state
                events.append(KeyEvent(time: message.time, frame: message.frame, phone: panel.phone, key: key,
                                       direction: direction, state: state, changed: state.changes(from: previous),
                                       outcome: outcome, status: status, callID: message.message.callID,
                                       isPartial: partial))
                slot.sent = KeySlot.Sent(state: state, frame: message.frame, time: message.time,
                                         outcome: outcome, status: status)
                if outcome == .accepted, !carried.hasWrongContentType {
                    slot.shown = KeySlot.Shown(state: state, frame: message.frame, time: message.time)
                }
            case .fromPhone:
                // A press asks the registrar to act; the lamp changes only when the registrar answers
                // with a new document.
                let press = description.entries.compactMap { entry -> (name: String, value: String)? in
                    guard let property = entry.property, property != .key else { return nil }
                    return (property.jsonName, entry.value)
                }
                events.append(KeyEvent(time: message.time, frame: message.frame, phone: panel.phone, key: key,
                                       direction: direction, state: slot.shown?.state ?? previous, changed: [],
                                       press: press, outcome: outcome, status: status,
                                       callID: message.message.callID, isPartial: partial))
                if slot.sent == nil && slot.shown == nil { continue } // a press alone adds no key to the panel
            }
            if panel.slots[key] != nil || panel.slots.count < KeyTimeline.maxKeysPerPhone {
                panel.slots[key] = slot
            } else {
                forgottenKeys += 1
            }
        }
        if storable {
            panels[id] = panel
        } else {
            forgottenKeys += events.count
        }
        return events
    }
}
