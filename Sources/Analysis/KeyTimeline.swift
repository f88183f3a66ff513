import SIPCapture
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
    /// A phone's panel comes again and again with most keys unchanged: those blocks are decoded once.
    private var memo = DescriptionMemo()
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
        var events: [KeyEvent] = []
        add(message, exchange: exchange, events: &events)
        return events
    }

    /// As `add(_:exchange:)`, for a caller that reads only the panels (`state`): no events are made.
    public mutating func update(_ message: CapturedMessage, exchange: Exchange?) {
        var none: [KeyEvent]? = nil
        add(message, exchange: exchange, events: &none)
    }

    /// Consumes a message whose fate was decided elsewhere; repeats of a request seen moments ago
    /// (same branch, CSeq, direction) are dropped as retransmissions.
    public mutating func add(_ message: CapturedMessage, outcome: ExchangeOutcome, status: Int?) -> [KeyEvent] {
        guard message.message.isRequest, !detector.isRetransmission(message),
              let carried = CarriedDocument(message, memo: &memo) else { return [] }
        var events: [KeyEvent] = []
        apply(carried, outcome: outcome, status: status, events: &events)
        return events
    }

    /// As `add(_:outcome:status:)` for a document the caller has already read (`watch` reads it to
    /// select and lint it): not decoded a second time.
    public mutating func add(_ carried: CarriedDocument, outcome: ExchangeOutcome, status: Int?) -> [KeyEvent] {
        guard !detector.isRetransmission(carried.request) else { return [] }
        var events: [KeyEvent] = []
        apply(carried, outcome: outcome, status: status, events: &events)
        return events
    }

    private mutating func add<Sink: EventSink>(_ message: CapturedMessage, exchange: Exchange?, events: inout Sink) {
        if let exchange {
            guard exchange.request.frame == message.frame, let carried = CarriedDocument(message, memo: &memo) else { return }
            apply(carried, outcome: exchange.outcome, status: exchange.finalStatus, events: &events)
            return
        }
        guard message.message.isRequest, !detector.isRetransmission(message),
              let carried = CarriedDocument(message, memo: &memo) else { return }
        apply(carried, outcome: .unknown, status: nil, events: &events)
    }

    private mutating func apply<Sink: EventSink>(_ carried: CarriedDocument, outcome: ExchangeOutcome, status: Int?,
                                                 events: inout Sink) {
        guard let phone = carried.phone else { return }
        let id = PhoneKey(user: phone.user, host: phone.host)
        // Changed where it lies in the table (no copy out and back: a second reference to its key
        // table would make the first write copy the whole table, and a removal and insertion
        // per document rehashed the phone's key twice).
        if let i = panels.index(forKey: id) {
            forgottenKeys += Self.record(carried, outcome: outcome, status: status, in: &panels.values[i], events: &events).forgotten
            return
        }
        var panel = PhonePanel(phone: phone)
        let (made, forgotten) = Self.record(carried, outcome: outcome, status: status, in: &panel, events: &events)
        if panels.count < KeyTimeline.maxPhones {
            panels[id] = panel
            forgottenKeys += forgotten
        } else {
            forgottenKeys += forgotten + made
        }
    }

    /// One document's descriptions into its phone's panel: keys made (`made`), keys past the
    /// panel's bound (`forgotten`).
    private static func record<Sink: EventSink>(_ carried: CarriedDocument, outcome: ExchangeOutcome, status: Int?,
                                                in panel: inout PhonePanel, events: inout Sink) -> (made: Int, forgotten: Int) {
        let message = carried.request
        let direction = carried.direction
        if let contact = carried.phone?.contact { panel.phone.contact = contact }
        var forgotten = 0
        let partial = Sink.wantsEvents && (message.isTruncatedByCapture || carried.wasCut
            || message.diagnostics.contains { DocumentLint.captureFaults.contains($0.code) })

        var made = 0
        for description in carried.document.descriptions {
            guard let key = description.key else { continue }
            made += 1
            let index = panel.slots.index(forKey: key)
            switch direction {
            case .toPhone:
                let state = description.state
                if Sink.wantsEvents {
                    let previous = index.flatMap { panel.slots.values[$0].sent?.state } ?? KeyState.defaults
                    events.append(KeyEvent(time: message.time, frame: message.frame, phone: panel.phone, key: key,
                                           direction: direction, state: state, changed: state.changes(from: previous),
                                           outcome: outcome, status: status, callID: message.message.callID,
                                           isPartial: partial))
                }
                let sent = KeySlot.Sent(state: state, frame: message.frame, time: message.time,
                                        outcome: outcome, status: status)
                let shown = outcome == .accepted && !carried.hasWrongContentType
                    ? KeySlot.Shown(state: state, frame: message.frame, time: message.time) : nil
                if let index {
                    // Changed in place: no copy of the slot's two states in and out of the table.
                    panel.slots.values[index].sent = sent
                    if let shown { panel.slots.values[index].shown = shown }
                } else if panel.slots.count < KeyTimeline.maxKeysPerPhone {
                    var slot = KeySlot(key: key)
                    slot.sent = sent
                    slot.shown = shown
                    panel.slots[key] = slot
                } else {
                    forgotten += 1
                }
            case .fromPhone:
                // A press asks the registrar to act; the lamp changes only when the registrar answers
                // with a new document. It adds no key to the panel and changes none.
                if Sink.wantsEvents {
                    let slot = index.map { panel.slots.values[$0] }
                    let press = description.entries.compactMap { entry -> (name: String, value: String)? in
                        guard let property = entry.property, property != .key else { return nil }
                        return (property.jsonName, entry.value)
                    }
                    events.append(KeyEvent(time: message.time, frame: message.frame, phone: panel.phone, key: key,
                                           direction: direction,
                                           state: slot?.shown?.state ?? slot?.sent?.state ?? KeyState.defaults,
                                           changed: [], press: press, outcome: outcome, status: status,
                                           callID: message.message.callID, isPartial: partial))
                }
            }
        }
        return (made, forgotten)
    }
}

/// Where `apply` puts the events it makes: an array, or nowhere (nil) for a caller that reads only the panels.
protocol EventSink {
    static var wantsEvents: Bool { get }
    mutating func append(_ event: KeyEvent)
}

extension Array: EventSink where Element == KeyEvent {
    static var wantsEvents: Bool { true }
}

extension Optional: EventSink where Wrapped == [KeyEvent] {
    static var wantsEvents: Bool { false }
    mutating func append(_ event: KeyEvent) {}
}
