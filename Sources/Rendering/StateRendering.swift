import Analysis
import Buttons
import SIP

/// The grid and document of `state`.
public enum StateRendering {
    public static let cellsPerRow = 4
    public static let cellWidth = 24

    public static func json(_ panels: [PhonePanel], at: Double?, devices: PhoneDevices = PhoneDevices()) -> JSONValue {
        .object([
            ("at", .optional(at)),
            ("phones", .array(panels.map { panel in
                var fields: [(String, JSONValue)] = [
                    ("user", .string(panel.phone.user)),
                    ("host", .string(panel.phone.host)),
                    ("contact", .optional(panel.phone.contact)),
                ]
                fields += DeviceRendering.jsonFields(devices.device(of: panel.phone.user))
                fields.append(("keys", .array(panel.keys.map(json))))
                return JSONValue.object(fields)
            })),
        ])
    }

    public static func json(_ slot: KeySlot) -> JSONValue {
        let sent: JSONValue = slot.sent.map { s in
            .object(KeyStateRendering.jsonFields(s.state) + [
                ("frame", .int(s.frame)), ("time", .double(s.time.epochSeconds)),
                ("outcome", .string(s.outcome.rawValue)), ("status", .optional(s.status)),
            ])
        } ?? .null
        let shown: JSONValue = slot.shown.map { s in
            .object(KeyStateRendering.jsonFields(s.state) + [("frame", .int(s.frame)), ("time", .double(s.time.epochSeconds))])
        } ?? .null
        return .object([("key", .string(slot.key)), ("sent", sent), ("shown", shown)])
    }

    /// `cut`: what the snap length kept from being read (`SnapLengthText`), said after the panels.
    public static func text(_ panels: [PhonePanel], at: Double?, devices: PhoneDevices = PhoneDevices(), cut: [String] = []) -> [String] {
        var out: [String] = []
        if let at {
            let whole = at.rounded(.down)
            out.append("State at \(ClockTime.format(.init(seconds: Int64(whole), nanoseconds: Int64((at - whole) * 1e9)))) UTC")
        }
        guard !panels.isEmpty else {
            out.append(cut.isEmpty ? "No key was sent an x-buttons document" + (at == nil ? " in this capture." : " by then.")
                        : "No x-buttons document could be read from this capture:")
            return out + cut
        }
        for (n, panel) in panels.enumerated() {
            if n > 0 { out.append("") }
            out.append(KeyStateRendering.paint("phone \(TerminalText.safe(panel.phone.user))", .bold) + "  host \(panel.phone.host)"
                        + (panel.phone.contact.map { "  contact \(TerminalText.safe($0))" } ?? "")
                        + DeviceRendering.suffix(devices.device(of: panel.phone.user)))
            let keys = panel.keys
            var row: [String] = []
            for slot in keys {
                row.append(cell(slot))
                if row.count == cellsPerRow { out.append("  " + row.joined(separator: " ")); row = [] }
            }
            if !row.isEmpty { out.append("  " + row.joined(separator: " ")) }
            if keys.contains(where: { $0.shown == nil }) { out.append("  ? nothing accepted for this key: the cell shows what was sent") }
            if keys.contains(where: { $0.shown != nil && $0.sent?.state != $0.shown?.state }) {
                out.append("  * the phone shows an older state than the last one sent")
            }
            out.append("")
            for slot in keys { detail(slot).forEach { out.append("  " + $0) } }
        }
        if !cut.isEmpty { out.append("") }
        return out + cut
    }

    /// `[3 off 42             ]`: what the phone shows, or `?` and what was sent when nothing was accepted.
    public static func cell(_ slot: KeySlot) -> String {
        let shownState = slot.shown?.state
        let state = shownState ?? slot.sent?.state ?? KeyState.defaults
        let mark = shownState == nil ? "?" : (slot.sent?.state != shownState ? "*" : "")
        let text = "\(mark)\(slot.key) \(state.light) \(state.label ?? "")"
        let padded = "[" + TerminalText.column(TerminalText.safe(text), cellWidth - 2) + "]"
        switch state.light {
        case "on": return KeyStateRendering.paint(padded, .green)
        case "off": return padded
        case "offline", "error": return KeyStateRendering.paint(padded, .red)
        default: return KeyStateRendering.paint(padded, .yellow)
        }
    }

    public static func detail(_ slot: KeySlot) -> [String] {
        let name = TerminalText.column("key \(TerminalText.safe(slot.key))", 8)
        var lines: [String] = []
        if let s = slot.sent {
            lines.append("\(name) sent  \(TerminalText.column("#\(s.frame)", 6)) \(KeyStateRendering.outcome(s.outcome, status: s.status, width: 14)) "
                         + KeyStateRendering.text(s.state))
        }
        let pad = String(repeating: " ", count: 8)
        if let s = slot.shown {
            if s.frame == slot.sent?.frame {
                lines.append("\(pad) shown the same")
            } else {
                lines.append("\(pad) shown \(TerminalText.column("#\(s.frame)", 6)) \(String(repeating: " ", count: 14)) " + KeyStateRendering.text(s.state))
            }
        } else {
            lines.append("\(pad) shown nothing accepted: the phone shows whatever it had before")
        }
        return lines
    }
}
