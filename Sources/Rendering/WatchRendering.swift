import SIPCapture
import Analysis
import Capture
import Base
import Pipeline
import SIP

/// The lines and NDJSON events of `watch`. Every value from the wire is made terminal-safe in text.
public enum WatchRendering {
    public static let indent = String(repeating: " ", count: 21)

    /// The lines (or the one NDJSON line) of one event the session decided.
    public static func lines(_ event: WatchEvent, json: Bool) -> [String] {
        switch event {
        case .document(let c, let findings, let pbx): return document(c, findings: findings, json: json, pbx: pbx)
        case .key(let e, let m, let pbx): return key(e, json: json, from: m, pbx: pbx)
        case .answer(let r, let p, let pbx): return answer(r, to: p, json: json, pbx: pbx)
        case .retransmission(let copy, let p, let pbx): return retransmission(copy, of: p, json: json, pbx: pbx)
        case .unanswered(let p, let reason, let time, let pbx): return unanswered(p, reason: reason, time: time, json: json, pbx: pbx)
        case .diagnostic(let d): return diagnostic(d, json: json)
        }
    }

    public static func head(_ time: Timestamp, _ frame: Int) -> String {
        "\(ClockTime.format(time))  \(TerminalText.column("#\(frame)", 6)) "
    }

    public static func document(_ c: CarriedDocument, findings: [LintFinding], json: Bool, pbx: String? = nil) -> [String] {
        let m = c.request
        let phone = PhoneParty.phone(of: m)
        let direction = PhoneParty.direction(of: m)
        let keys = c.document.descriptions.compactMap(\.key)
        if json {
            return [JSONValue.object([
                ("event", "document"), ("time", .double(m.time.epochSeconds)), ("frame", .int(m.frame)),
                ("frames", .array(m.frames.map(JSONValue.int))), ("transport", .string(m.transport.rawValue)),
                ("src", .string(m.source.description)), ("dst", .string(m.destination.description)),
                ("user", .optional(phone?.user)), ("direction", .string(direction.rawValue)),
                ("call_id", .optional(m.message.callID)), ("keys", .array(keys.map(JSONValue.string))),
                ("findings", .array(findings.map { f in
                    .object([("code", .string(f.code)), ("severity", .string(f.severity.rawValue)),
                             ("key", .optional(f.key)), ("message", .string(f.message))])
                })),
            ] + WatchFleetRendering.agentFields(m)).rendered]
        }
        let who = phone.map { "phone \(TerminalText.safe($0.user))" } ?? "no phone named"
        var lines = [head(m.time, m.frame) + WatchFleetRendering.tag(pbx) + KeyStateRendering.paint("document \(direction.rawValue) \(who)", .bold)
                     + "  \(m.source) → \(m.destination) \(m.transport.rawValue)"
                     + (m.frames.count > 1 ? " (\(m.frames.count) packets)" : "")
                     + "  keys \(keys.isEmpty ? "none" : keys.map(TerminalText.safe).joined(separator: ","))"
                     + "  Call-ID \(TerminalText.safe(m.message.callID ?? "-"))"]
        for f in findings {
            let severity: String
            switch f.severity {
            case .error: severity = KeyStateRendering.paint("error", .red)
            case .warning: severity = KeyStateRendering.paint("warning", .yellow)
            case .info: severity = "note"
            }
            lines.append(indent + "\(severity) \(f.code): \(TerminalText.safe(f.message))")
        }
        return lines
    }

    public static func key(_ e: KeyEvent, json: Bool, from m: CapturedMessage? = nil, pbx: String? = nil) -> [String] {
        if json {
            guard case .object(let fields) = TimelineRendering.json(e) else { return [] }
            return [JSONValue.object([("event", "key")] + fields + (m.map(WatchFleetRendering.agentFields) ?? [])).rendered]
        }
        return [indent + WatchFleetRendering.tag(pbx) + "key \(TerminalText.safe(e.key))  " + TimelineRendering.change(e)]
    }

    public static func answer(_ r: CapturedMessage, to p: LiveExchanges.Pending, json: Bool, pbx: String? = nil) -> [String] {
        let status = r.message.statusCode ?? 0
        let outcome: ExchangeOutcome? = status < 200 ? nil : status < 300 ? .accepted : .rejected
        let latency = r.time.seconds(since: p.request.time) * 1000
        if json {
            return [JSONValue.object([
                ("event", "answer"), ("time", .double(r.time.epochSeconds)), ("frame", .int(r.frame)),
                ("document_frame", .int(p.request.frame)), ("status", .int(status)),
                ("reason", .optional(r.message.reasonPhrase)), ("outcome", outcome.map { .string($0.rawValue) } ?? .null),
                ("latency_ms", .double((latency * 1000).rounded() / 1000)),
                ("user", .optional(PhoneParty.phone(of: p.request)?.user)), ("call_id", .optional(p.request.message.callID)),
            ] + WatchFleetRendering.agentFields(r)).rendered]
        }
        let verdict = outcome.map { KeyStateRendering.outcome($0, status: status) } ?? "provisional \(status)"
        return [head(r.time, r.frame) + WatchFleetRendering.tag(pbx) + "answer \(status) \(TerminalText.safe(r.message.reasonPhrase ?? "")) to #\(p.request.frame)"
                + " after \(KeyDiagnosisFormat.seconds(latency / 1000)): " + verdict]
    }

    public static func retransmission(_ copy: CapturedMessage, of p: LiveExchanges.Pending, json: Bool, pbx: String? = nil) -> [String] {
        if json {
            return [JSONValue.object([("event", "retransmission"), ("time", .double(copy.time.epochSeconds)),
                                      ("frame", .int(copy.frame)), ("document_frame", .int(p.request.frame))]
                                     + WatchFleetRendering.agentFields(copy)).rendered]
        }
        return [head(copy.time, copy.frame) + WatchFleetRendering.tag(pbx) + KeyStateRendering.paint("retransmission of #\(p.request.frame) (\(p.retransmissions))", .dim)]
    }

    public static func unanswered(_ p: LiveExchanges.Pending, reason: String, time: Timestamp, json: Bool, pbx: String? = nil) -> [String] {
        if json {
            return [JSONValue.object([("event", "unanswered"), ("time", .double(time.epochSeconds)),
                                      ("document_frame", .int(p.request.frame)), ("reason", .string(reason)),
                                      ("user", .optional(PhoneParty.phone(of: p.request)?.user))]
                                     + WatchFleetRendering.agentFields(p.request)).rendered]
        }
        return [head(time, p.request.frame) + WatchFleetRendering.tag(pbx) + KeyStateRendering.outcome(.unanswered, status: nil) + " #\(p.request.frame): \(TerminalText.safe(reason))"]
    }

    public static func diagnostic(_ d: Diagnostic, json: Bool) -> [String] {
        if json {
            return [JSONValue.object([("event", "diagnostic"), ("frame", .optional(d.frame)), ("code", .string(d.code)),
                                      ("severity", .string(d.severity.rawValue)), ("message", .string(d.message))]).rendered]
        }
        return [indent + "\(d.severity.rawValue) \(d.code): \(TerminalText.safe(d.message))"]
    }

    public static func fragmentWarning(filter: String, _ v: FragmentFilterProbe.Verdict) -> String {
        let families = [v.dropsIPv4Fragments ? "IPv4" : nil, v.dropsIPv6Fragments ? "IPv6" : nil].compactMap { $0 }.joined(separator: " and ")
        return "the filter \"\(TerminalText.safe(filter))\" drops \(families) fragments of SIP datagrams: fragmented MESSAGEs (initial states over 1500 bytes) will be lost. Keep them with --bpf '\(TerminalText.safe(FragmentFilterProbe.suggestion(for: filter, v)))'"
    }
}
