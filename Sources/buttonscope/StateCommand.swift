import Analysis
import ArgumentParser
import Buttons
import SIP
import Pipeline
import Rendering

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
            let tracked = try run.run(capture.source(), onMessage: { cuts.add($0) }) { m, exchange in
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
                Output.json(UnreadText.adding(to: document, tracked.loaded))
            } else {
                StateRendering.text(panels, at: until, devices: devices,
                                    cut: cut ? SnapLengthText.lines(cuts, snapLength: snap, only: phone) : []).forEach(Output.line)
            }
            UnreadNotes.write(tracked.loaded)
        }
    }
}
