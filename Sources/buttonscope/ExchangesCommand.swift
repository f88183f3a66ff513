import Analysis
import ArgumentParser
import Capture
import SIP
import Pipeline
import Rendering

/// `buttonscope exchanges`: every transaction, request to final answer.
struct ExchangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchanges",
        abstract: "List every SIP transaction: request, retransmissions, answers, latency, outcome.",
        discussion: """
        Requests are paired with answers the RFC 3261 way (top Via branch + CSeq method, the answer travelling back), or by Call-ID + CSeq for RFC 2543 peers. Retransmissions (same branch, same CSeq) are counted and held against Timer E (0.5, 1, 2, 4, 4… s). Outcomes: accepted (2xx), rejected (≥300), unanswered (retransmitted and never answered, an ICMP unreachable, or Timer F — 32 s — ran out), unknown (no answer, but the capture ended before Timer F). ACK is skipped.

        Examples:
          buttonscope exchanges field.pcap --method MESSAGE
          buttonscope exchanges field.pcap --json | jq 'select(.outcome != "accepted")'
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: "Only transactions of this method (MESSAGE, REGISTER…).")
    var method: String?

    @Flag(help: "Print NDJSON: one object per transaction (fields: method frame time call_id cseq_number user src dst retransmissions retransmission_frames responses final_status outcome latency_ms icmp).")
    var json = false

    func run() throws {
        try runReporting {
            let wanted = method?.uppercased()
            var counts: [ExchangeOutcome: Int] = [:]
            var shown = 0
            var headed = false
            // Each exchange is printed as it settles, in request frame order: none is kept.
            let tracked = try TrackedCapture.stream(capture.source()) { e in
                guard wanted == nil || e.method == wanted else { return }
                shown += 1
                if json {
                    Output.json(ExchangesTable.json(e))
                } else {
                    if !headed { Output.line(ExchangesTable.header); headed = true }
                    Output.line(ExchangesTable.row(e))
                    counts[e.outcome, default: 0] += 1
                }
            }
            defer { UnreadNotes.write(tracked.loaded) }
            if json { return }
            if !headed { Output.line(ExchangesTable.header) }
            Output.line("")
            let parts = [ExchangeOutcome.accepted, .rejected, .unanswered, .unknown].compactMap { o in counts[o].map { "\($0) \(o.rawValue)" } }
            Output.line("\(shown) transaction\(shown == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
                        + (tracked.unmatchedResponses > 0 ? "; \(tracked.unmatchedResponses) answer(s) to requests not in the capture" : ""))
        }
    }
}
