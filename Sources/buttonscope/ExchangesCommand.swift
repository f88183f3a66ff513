import Analysis
import ArgumentParser
import Capture
import SIP

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
            let tracked = try TrackedCapture.stream(capture) { e in
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
            if json { return }
            if !headed { Output.line(ExchangesTable.header) }
            Output.line("")
            let parts = [ExchangeOutcome.accepted, .rejected, .unanswered, .unknown].compactMap { o in counts[o].map { "\($0) \(o.rawValue)" } }
            Output.line("\(shown) transaction\(shown == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
                        + (tracked.unmatchedResponses > 0 ? "; \(tracked.unmatchedResponses) answer(s) to requests not in the capture" : ""))
        }
    }
}

/// Rows and JSON objects of `exchanges`.
enum ExchangesTable {
    static let header = [
        TerminalText.column("frame", 7), TerminalText.column("time (UTC)", 12), TerminalText.column("method", 9),
        TerminalText.column("from → to", 40), TerminalText.column("user", 8), TerminalText.column("rtx", 4),
        TerminalText.column("answers (frame)", 24), TerminalText.column("final", 6), TerminalText.column("ms", 8),
        TerminalText.column("outcome", 11), "icmp",
    ].joined(separator: " ")

    static func row(_ e: Exchange) -> String {
        let r = e.request
        let answers = e.responses.map { "\($0.status)(\($0.frame))" }.joined(separator: " ")
        let icmp = e.unreachable.map { "\($0.reason) (\($0.frame))" }.joined(separator: ", ")
        return [
            TerminalText.column(String(r.frame), 7), TerminalText.column(ClockTime.format(r.time), 12),
            TerminalText.column(TerminalText.safe(e.method), 9), TerminalText.column("\(r.source) → \(r.destination)", 40),
            TerminalText.column(TerminalText.safe(PhoneParty.phone(of: r)?.user ?? "-"), 8),
            TerminalText.column(String(e.retransmissions.count), 4), TerminalText.column(answers.isEmpty ? "-" : answers, 24),
            TerminalText.column(e.finalStatus.map(String.init) ?? "-", 6),
            TerminalText.column(e.latencyMs.map { String(Int($0.rounded())) } ?? "-", 8),
            TerminalText.column(e.outcome.rawValue, 11), icmp.isEmpty ? "-" : icmp,
        ].joined(separator: " ")
    }

    static func json(_ e: Exchange) -> JSONValue {
        let r = e.request
        let msg = r.message
        return .object([
            ("method", .string(e.method)),
            ("frame", .int(r.frame)),
            ("time", .double(r.time.epochSeconds)),
            ("transport", .string(r.transport.rawValue)),
            ("src", .string(r.source.description)),
            ("dst", .string(r.destination.description)),
            ("request_uri", .optional(msg.requestURI)),
            ("call_id", .optional(msg.callID)),
            ("cseq_number", msg.cseq.map { .int(Int($0.number)) } ?? .null),
            ("branch", .optional(msg.topViaBranch)),
            ("user", .optional(PhoneParty.phone(of: r)?.user)),
            ("direction", .string(PhoneParty.direction(of: r).rawValue)),
            ("retransmissions", .int(e.retransmissions.count)),
            ("retransmission_frames", .array(e.retransmissions.map { .int($0.frame) })),
            ("retransmission_intervals", .array(e.retransmissionTimings.map { .double(($0.interval * 1000).rounded() / 1000) })),
            ("follows_timer_e", .bool(e.retransmissionTimings.allSatisfy(\.followsTimerE))),
            ("responses", .array(e.responses.map { .object([("status", .int($0.status)), ("reason", .string($0.reason)),
                                                            ("frame", .int($0.frame)), ("time", .double($0.time.epochSeconds))]) })),
            ("final_status", .optional(e.finalStatus)),
            ("outcome", .string(e.outcome.rawValue)),
            ("latency_ms", e.latencyMs.map { .double(($0 * 1000).rounded() / 1000) } ?? .null),
            ("icmp", .array(e.unreachable.map { .object([("frame", .int($0.frame)), ("reason", .string($0.reason)),
                                                         ("reporter", .string($0.reporter.description)),
                                                         ("original_dst", .string($0.originalDestination.description))]) })),
        ])
    }
}
