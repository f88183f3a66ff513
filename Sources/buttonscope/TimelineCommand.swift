import Analysis
import ArgumentParser
import Buttons
import SIP
import Pipeline
import Rendering

/// `buttonscope timeline`: every key of every phone, change by change.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Show every key lamp of every phone, change by change, and whether the phone took each change.",
        discussion: """
        Every x-buttons document in the capture is decoded the way the phone read it (cut at Content-Length) and applied with the spec's rule: a description replaces the key's whole state, so `k=3` `l=42` alone turns key 3's lamp off and clears its caller. A phone is named by its SIP user (the To user of what the registrar sends it).

        Each line: time (UTC), frame, direction, what became of the message, the properties that changed since the previous document sent for that key, and the key's full state. `to-phone` documents set lamps; `from-phone` documents (Proxy-Require: buttons) are key presses and change no lamp. Outcomes: accepted (2xx), rejected (with its status), unanswered (retransmitted or timed out, never answered), unknown (the capture ends too soon, or shows only one side). Retransmissions are not listed again. On a terminal, ✓ and ✗ replace the words.

        Examples:
          buttonscope timeline field.pcap
          buttonscope timeline field.pcap --phone 44 --key 3       # one lamp's life
          buttonscope timeline field.pcap --json | jq 'select(.outcome != "accepted")'

        --json prints one object per event: time frame user host contact key direction state changed press outcome status call_id partial. state holds every property (light color action destination label display_name caller direction forward mwi release state treatment type), null when absent; changed lists the names that differ from the previous document sent for the key.
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: ArgumentHelp("Only this phone (its SIP user, e.g. 44).", valueName: "user"))
    var phone: String?

    @Option(help: ArgumentHelp("Only this key (e.g. 3).", valueName: "key"))
    var key: String?

    @Flag(help: "Print NDJSON, one object per event.")
    var json = false

    func run() throws {
        try runReporting {
            // Streamed: with --json each event is printed as it is found; the text view keeps the
            // (filtered) events it lays out, not the messages.
            var kept: [KeyEvent] = []
            var timeline = KeyTimeline()
            var documents = 0
            var cuts = SnapLengthCuts()
            let tracked = try StreamedKeyRun().run(capture.source(), onMessage: { cuts.add($0) }) { m, exchange in
                if exchange.map({ $0.request.frame == m.frame }) ?? true, CarriedDocument(m) != nil { documents += 1 }
                for event in timeline.add(m, exchange: exchange) {
                    if let phone, event.phone.user != phone { continue }
                    if let key, event.key != key { continue }
                    if json { Output.line(TimelineRendering.json(event)) } else { kept.append(event) }
                }
            }
            let cut = SnapLengthText.concerns(cuts, user: phone)
            let snap = tracked.loaded.statistics.snapLength
            if json {
                // NDJSON of events: what could not be read goes to stderr, one line each.
                if cut { SnapLengthText.lines(cuts, snapLength: snap, only: phone).forEach { Output.error("buttonscope: " + $0) } }
            } else {
                TimelineRendering.text(kept, documents: documents, cut: cut ? SnapLengthText.lines(cuts, snapLength: snap, only: phone) : []).forEach(Output.line)
            }
            UnreadNotes.write(tracked.loaded)
        }
    }
}
