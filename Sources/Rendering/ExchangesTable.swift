import Analysis
import Capture
import SIP

/// Rows and JSON objects of `exchanges`.
public enum ExchangesTable {
    public static let header = [
        TerminalText.column("frame", 7), TerminalText.column("time (UTC)", 12), TerminalText.column("method", 9),
        TerminalText.column("from → to", 40), TerminalText.column("user", 8), TerminalText.column("rtx", 4),
        TerminalText.column("answers (frame)", 24), TerminalText.column("final", 6), TerminalText.column("ms", 8),
        TerminalText.column("outcome", 11), "icmp",
    ].joined(separator: " ")

    public static func row(_ e: Exchange) -> String {
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

    public static func json(_ e: Exchange) -> JSONValue {
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
