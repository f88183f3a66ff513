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
        case .answer(let r, let p, let user, let pbx): return answer(r, to: p, user: user, json: json, pbx: pbx)
        case .retransmission(let copy, let p, let pbx): return retransmission(copy, of: p, json: json, pbx: pbx)
        case .unanswered(let p, let reason, let time, let user, let pbx): return unanswered(p, reason: reason, time: time, user: user, json: json, pbx: pbx)
        case .diagnostic(let d): return diagnostic(d, json: json)
        }
    }

    public static func head(_ time: Timestamp, _ frame: Int) -> String {
        "\(ClockTime.format(time))  \(TerminalText.column("#\(frame)", 6)) "
    }

    public static func document(_ c: CarriedDocument, findings: [LintFinding], json: Bool, pbx: String? = nil) -> [String] {
        let m = c.request
        let phone = c.phone
        let direction = c.direction
        let keys = c.document.descriptions.compactMap(\.key)
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "document")
            w.field("time", m.time.epochSeconds)
            w.field("frame", m.frame)
            w.key("frames")
            w.ints(m.frames)
            w.field("transport", m.transport.rawValue)
            w.field("src", m.source)
            w.field("dst", m.destination)
            w.field("user", phone?.user)
            w.field("direction", direction.rawValue)
            w.field("call_id", m.message.callID)
            w.key("keys")
            w.strings(keys)
            w.key("findings")
            w.beginArray()
            for f in findings {
                w.beginObject()
                w.field("code", f.code)
                w.field("severity", f.severity.rawValue)
                w.field("key", f.key)
                w.field("message", f.message)
                w.endObject()
            }
            w.endArray()
            WatchFleetRendering.writeAgentFields(m, to: &w)
            w.endObject()
            return [w.text]
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
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "key")
            TimelineRendering.writeFields(e, to: &w)
            if let m { WatchFleetRendering.writeAgentFields(m, to: &w) }
            w.endObject()
            return [w.text]
        }
        return [indent + WatchFleetRendering.tag(pbx) + "key \(TerminalText.safe(e.key))  " + TimelineRendering.change(e)]
    }

    /// `user`: the phone of the document answered (`PhoneParty`), which the caller knows.
    public static func answer(_ r: CapturedMessage, to p: LiveExchanges.Pending, user: String?, json: Bool, pbx: String? = nil) -> [String] {
        let status = r.message.statusCode ?? 0
        let outcome: ExchangeOutcome? = status < 200 ? nil : status < 300 ? .accepted : .rejected
        let latency = r.time.seconds(since: p.request.time) * 1000
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "answer")
            w.field("time", r.time.epochSeconds)
            w.field("frame", r.frame)
            w.field("document_frame", p.request.frame)
            w.field("status", status)
            w.field("reason", r.message.reasonPhrase)
            w.field("outcome", outcome?.rawValue)
            w.field("latency_ms", (latency * 1000).rounded() / 1000)
            w.field("user", user)
            w.field("call_id", p.request.message.callID)
            WatchFleetRendering.writeAgentFields(r, to: &w)
            w.endObject()
            return [w.text]
        }
        let verdict = outcome.map { KeyStateRendering.outcome($0, status: status) } ?? "provisional \(status)"
        return [head(r.time, r.frame) + WatchFleetRendering.tag(pbx) + "answer \(status) \(TerminalText.safe(r.message.reasonPhrase ?? "")) to #\(p.request.frame)"
                + " after \(KeyDiagnosisFormat.seconds(latency / 1000)): " + verdict]
    }

    public static func retransmission(_ copy: CapturedMessage, of p: LiveExchanges.Pending, json: Bool, pbx: String? = nil) -> [String] {
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "retransmission")
            w.field("time", copy.time.epochSeconds)
            w.field("frame", copy.frame)
            w.field("document_frame", p.request.frame)
            WatchFleetRendering.writeAgentFields(copy, to: &w)
            w.endObject()
            return [w.text]
        }
        return [head(copy.time, copy.frame) + WatchFleetRendering.tag(pbx) + KeyStateRendering.paint("retransmission of #\(p.request.frame) (\(p.retransmissions))", .dim)]
    }

    public static func unanswered(_ p: LiveExchanges.Pending, reason: String, time: Timestamp, user: String?, json: Bool, pbx: String? = nil) -> [String] {
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "unanswered")
            w.field("time", time.epochSeconds)
            w.field("document_frame", p.request.frame)
            w.field("reason", reason)
            w.field("user", user)
            WatchFleetRendering.writeAgentFields(p.request, to: &w)
            w.endObject()
            return [w.text]
        }
        return [head(time, p.request.frame) + WatchFleetRendering.tag(pbx) + KeyStateRendering.outcome(.unanswered, status: nil) + " #\(p.request.frame): \(TerminalText.safe(reason))"]
    }

    public static func diagnostic(_ d: Diagnostic, json: Bool) -> [String] {
        if json {
            var w = JSONWriter()
            w.beginObject()
            w.field("event", "diagnostic")
            w.field("frame", d.frame)
            w.field("code", d.code)
            w.field("severity", d.severity.rawValue)
            w.field("message", d.message)
            w.endObject()
            return [w.text]
        }
        return [indent + "\(d.severity.rawValue) \(d.code): \(TerminalText.safe(d.message))"]
    }

    public static func fragmentWarning(filter: String, _ v: FragmentFilterProbe.Verdict) -> String {
        let families = [v.dropsIPv4Fragments ? "IPv4" : nil, v.dropsIPv6Fragments ? "IPv6" : nil].compactMap { $0 }.joined(separator: " and ")
        return "the filter \"\(TerminalText.safe(filter))\" drops \(families) fragments of SIP datagrams: fragmented MESSAGEs (initial states over 1500 bytes) will be lost. Keep them with --bpf '\(TerminalText.safe(FragmentFilterProbe.suggestion(for: filter, v)))'"
    }
}
