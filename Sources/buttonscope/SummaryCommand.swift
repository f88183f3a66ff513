import SIPCapture
import Analysis
import ArgumentParser
import Buttons
import Capture
import Base
import SIP
import Pipeline
import Rendering

/// `buttonscope summary`: what to run first on an unknown capture.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a capture: phones, registrations, documents, keys, outcomes, top problems, what to ask next.",
        discussion: """
        Frames that carried no SIP are counted by what they were ("Not read: 57 frames — 20 RTP/RTCP-like UDP (first frame 5); …"); a capture with no SIP at all says what it held instead. Documents the capture's snap length cut away are named, with the command that captures whole packets.

        Ends with the exact `buttonscope why` commands worth running: one for every key whose last document did not come through (not accepted, broken, sent to the wrong place…). A key `why` finds broken is always among the problems too, so \"Problems: none found\" means `why` finds nothing either. Notes follow for keys that are fine but worth a look (a description without c= that turned a lit lamp off).

        SIP over TLS without its keys is said, never skipped: a TLS line counts the connections left unread and names what would unlock them (--tls-keylog FILE, or SSLKEYLOGFILE), one line per connection with its client random.

        Examples:
          buttonscope summary field.pcap
          buttonscope summary field.pcap --json | jq .next
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Flag(help: "Print one JSON document (fields: file format start end frames sip_messages frames_read not_read capture_truncated phones exchanges problems [tls] next; not_read is {frames, reasons: [{reason, frames, first_frame}]}).")
    var json = false

    func run() throws {
        try runReporting {
            var tally = SummaryTally()
            let tracked = try TrackedCapture.stream(capture.source(), onMessage: { tally.add(message: $0) }) { tally.add(exchange: $0) }
            let summary = tally.summary(tracked, path: capture.path)
            if json {
                Output.json(summary.json)
            } else {
                summary.text.forEach(Output.line)
            }
        }
    }
}
