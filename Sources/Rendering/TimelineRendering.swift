import Analysis
import Buttons
import SIP

/// The lines and objects of `timeline`.
public enum TimelineRendering {
    /// One key event as an NDJSON line.
    public static func json(_ e: KeyEvent) -> String {
        var w = JSONWriter()
        w.beginObject()
        writeFields(e, to: &w)
        w.endObject()
        return w.text
    }

    /// A key event's members, for the object that holds them (`watch` adds its own around them).
    public static func writeFields(_ e: KeyEvent, to w: inout JSONWriter) {
        w.field("time", e.time.epochSeconds)
        w.field("frame", e.frame)
        w.field("user", e.phone.user)
        w.field("host", e.phone.host)
        w.field("contact", e.phone.contact)
        w.field("key", e.key)
        w.field("direction", e.direction.rawValue)
        w.key("state")
        KeyStateRendering.write(e.state, to: &w)
        w.key("changed")
        w.strings(e.changed)
        w.key("press")
        if let press = e.press {
            w.beginObject()
            for p in press { w.key(p.name); w.string(p.value) }
            w.endObject()
        } else {
            w.null()
        }
        w.field("outcome", e.outcome.rawValue)
        w.field("status", e.status)
        w.field("call_id", e.callID)
        w.field("partial", e.isPartial)
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
