import Analysis
import ArgumentParser
import Buttons
import SIP

/// `buttonscope state`: what every key was last sent, and what the phone most likely shows.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Show what every key of every phone was last sent, and what the phone most likely shows.",
        discussion: """
        "Sent" is the last x-buttons document the capture shows for a key, whatever became of it. "Shown" is the last one the phone accepted with a 2xx under the right Content-Type: what its lamp most likely shows. When they differ, the phone missed the newer document (rejected, unanswered, or the capture cannot tell): `buttonscope timeline --key K` shows how.

        The grid is laid out like a key panel, four keys a row, each cell the key, its light and its label as shown (a key nothing was accepted for shows what was sent, marked ?). Below it, one line per key with both states and their frames.

        --at gives the state at a moment: HH:MM:SS[.mmm] in UTC on the capture's first day, or epoch seconds. Documents sent up to that moment count, each with the fate the whole capture shows.

        Examples:
          buttonscope state field.pcap
          buttonscope state field.pcap --at 10:42:07 --phone 44
          buttonscope state field.pcap --json | jq '.phones[].keys[] | select(.shown.light != .sent.light)'

        --json prints one document: {"at", "phones": [{"user", "host", "contact", "keys": [{"key", "sent": {light … type, "frame", "time", "outcome", "status"}, "shown": {light … type, "frame", "time"} or null}]}]}.
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: ArgumentHelp("The moment to show: HH:MM:SS[.mmm] UTC, or epoch seconds (default: the end of the capture).", valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp("Only this phone (its SIP user, e.g. 44).", valueName: "user"))
    var phone: String?

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        if let at, ClockTime.parse(at, reference: nil) == nil {
            throw ValidationError("--at \(at): expected HH:MM:SS, HH:MM:SS.mmm or epoch seconds")
        }
    }

    func run() throws {
        try runReporting {
            // Streamed: only the panels and the requests still awaiting their fate are held.
            let run = StreamedKeyRun()
            var timeline = KeyTimeline()
            var devices = PhoneDevices()
            var until: Double?
            var resolved = false
            var cuts = SnapLengthCuts()
            let tracked = try run.run(capture, onMessage: { cuts.add($0) }) { m, exchange in
                if !resolved {
                    // --at is read against the capture's first day: known once the first message is.
                    until = at.flatMap { ClockTime.parse($0, reference: run.firstMessageTime) }
                    resolved = true
                }
                if let until, m.time.epochSeconds > until { return }
                if let exchange, exchange.request.frame == m.frame { devices.add(exchange) }
                timeline.update(m, exchange: exchange)
            }
            if !resolved { until = at.flatMap { ClockTime.parse($0, reference: run.firstMessageTime) } }
            let panels = timeline.phones.filter { phone == nil || $0.phone.user == phone }
            let snap = tracked.loaded.statistics.snapLength
            let cut = SnapLengthText.concerns(cuts, user: phone)
            if json {
                var document = StateRendering.json(panels, at: until, devices: devices)
                if cut, case .object(let fields) = document {
                    document = .object(fields + [("capture_truncated", SnapLengthText.json(cuts, snapLength: snap, only: phone))])
                }
                Output.json(document)
            } else {
                StateRendering.text(panels, at: until, devices: devices,
                                    cut: cut ? SnapLengthText.lines(cuts, snapLength: snap, only: phone) : [])
            }
            TLSKeysAdvice.note(tracked.loaded)
        }
    }
}

/// The grid and document of `state`.
enum StateRendering {
    static let cellsPerRow = 4
    static let cellWidth = 24

    static func json(_ panels: [PhonePanel], at: Double?, devices: PhoneDevices = PhoneDevices()) -> JSONValue {
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

    static func json(_ slot: KeySlot) -> JSONValue {
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
    static func text(_ panels: [PhonePanel], at: Double?, devices: PhoneDevices = PhoneDevices(), cut: [String] = []) {
        if let at {
            let whole = at.rounded(.down)
            Output.line("State at \(ClockTime.format(.init(seconds: Int64(whole), nanoseconds: Int64((at - whole) * 1e9)))) UTC")
        }
        defer {
            if !cut.isEmpty, !panels.isEmpty { Output.line("") }
            cut.forEach(Output.line)
        }
        guard !panels.isEmpty else {
            Output.line(cut.isEmpty ? "No key was sent an x-buttons document" + (at == nil ? " in this capture." : " by then.")
                        : "No x-buttons document could be read from this capture:")
            return
        }
        for (n, panel) in panels.enumerated() {
            if n > 0 { Output.line("") }
            Output.line(KeyStateRendering.paint("phone \(TerminalText.safe(panel.phone.user))", .bold) + "  host \(panel.phone.host)"
                        + (panel.phone.contact.map { "  contact \(TerminalText.safe($0))" } ?? "")
                        + DeviceRendering.suffix(devices.device(of: panel.phone.user)))
            let keys = panel.keys
            var row: [String] = []
            for slot in keys {
                row.append(cell(slot))
                if row.count == cellsPerRow { Output.line("  " + row.joined(separator: " ")); row = [] }
            }
            if !row.isEmpty { Output.line("  " + row.joined(separator: " ")) }
            if keys.contains(where: { $0.shown == nil }) { Output.line("  ? nothing accepted for this key: the cell shows what was sent") }
            if keys.contains(where: { $0.shown != nil && $0.sent?.state != $0.shown?.state }) {
                Output.line("  * the phone shows an older state than the last one sent")
            }
            Output.line("")
            for slot in keys { detail(slot).forEach { Output.line("  " + $0) } }
        }
    }

    /// `[3 off 42             ]`: what the phone shows, or `?` and what was sent when nothing was accepted.
    static func cell(_ slot: KeySlot) -> String {
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

    static func detail(_ slot: KeySlot) -> [String] {
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
