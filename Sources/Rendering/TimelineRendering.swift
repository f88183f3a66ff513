import Analysis
import Buttons
import SIP

/// The lines and objects of `timeline`.
public enum TimelineRendering {
    public static func json(_ e: KeyEvent) -> JSONValue {
        .object([
            ("time", .double(e.time.epochSeconds)),
            ("frame", .int(e.frame)),
            ("user", .string(e.phone.user)),
            ("host", .string(e.phone.host)),
            ("contact", .optional(e.phone.contact)),
            ("key", .string(e.key)),
            ("direction", .string(e.direction.rawValue)),
            ("state", KeyStateRendering.json(e.state)),
            ("changed", .array(e.changed.map(JSONValue.string))),
            ("press", e.press.map { .object($0.map { ($0.name, JSONValue.string($0.value)) }) } ?? .null),
            ("outcome", .string(e.outcome.rawValue)),
            ("status", .optional(e.status)),
            ("call_id", .optional(e.callID)),
            ("partial", .bool(e.isPartial)),
        ])
    }

    /// Grouped per phone, per key, in time order within each key.
    /// `cut`: what the snap length kept from being read (`SnapLengthText`), said at the end.
    public static func text(_ events: [KeyEvent], documents: Int, cut: [String] = []) -> [String] {
        var out: [String] = []
        guard !events.isEmpty else {
            out.append(documents == 0 ? (cut.isEmpty ? "No x-buttons documents in this capture." : "No x-buttons document could be read from this capture:")
                        : "No key events match.")
            return out + cut
        }
        var phones: [String: [KeyEvent]] = [:]
        for e in events { phones["\(e.phone.user)\u{0}\(e.phone.host)", default: []].append(e) }
        for id in phones.keys.sorted() {
            guard let list = phones[id], let first = list.first else { continue }
            let contact = list.last { $0.phone.contact != nil }?.phone.contact
            out.append(KeyStateRendering.paint("phone \(TerminalText.safe(first.phone.user))", .bold) + "  host \(first.phone.host)"
                        + (contact.map { "  contact \(TerminalText.safe($0))" } ?? ""))
            var byKey: [String: [KeyEvent]] = [:]
            for e in list { byKey[e.key, default: []].append(e) }
            for key in byKey.keys.sorted(by: KeyOrder.precedes) {
                out.append("  key \(TerminalText.safe(key))")
                for e in byKey[key] ?? [] { out.append("    " + line(e)) }
            }
        }
        if !cut.isEmpty { out.append("") }
        return out + cut
    }

    public static func line(_ e: KeyEvent) -> String {
        let head = "\(ClockTime.format(e.time))  \(TerminalText.column("#\(e.frame)", 6)) "
            + (e.direction == .toPhone ? "to-phone   " : "from-phone ")
            + KeyStateRendering.outcome(e.outcome, status: e.status, width: 14) + " "
        return head + change(e)
    }

    /// What an event did to the key: a press, or the state after it and what changed.
    public static func change(_ e: KeyEvent) -> String {
        var body: String
        if let press = e.press {
            body = "press " + press.map { "\($0.name)=\(KeyStateRendering.quoted($0.value))" }.joined(separator: " ")
        } else {
            let changed = e.changed.isEmpty ? "no change" : "changed " + e.changed.joined(separator: ",")
            body = (TerminalColour.enabled ? KeyStateRendering.lamp(e.state.light) + "  " : "") + KeyStateRendering.text(e.state)
                + "  " + KeyStateRendering.paint("(\(changed))", .dim)
        }
        if e.isPartial { body += "  [document cut short: state may be partial]" }
        return body
    }
}
