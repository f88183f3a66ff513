import Analysis
import Buttons
import Capture
import Base
import Pipeline
import SIP

/// How `summary` prints its facts: the text lines and the JSON document (`summary --json`).
extension CaptureSummary {
    public func whyCommand(_ r: WhyReport) -> String {
        "buttonscope why \(Self.shellQuoted(path)) --phone \(Self.shellQuoted(r.user)) --key \(Self.shellQuoted(r.key))"
    }

    public static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_./:=@+,".unicodeScalars.contains(c)
        }
        return plain && !s.isEmpty ? s : "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    public static func registrationText(_ r: RegisterRecord) -> String {
        let status = r.exchange.finalStatus.map { "\($0)" } ?? r.exchange.outcome.rawValue
        let contact = r.contacts.first.map { c in " \(c.uri.host):\(c.uri.port ?? 5060)" + (c.line.map { " line=\($0)" } ?? "") + " expires \(c.expires)s" } ?? ""
        let flags = (r.supportedButtons ? " Supported:buttons" : " no-Supported:buttons")
            + (r.succeeded ? (r.requireButtons ? " \(r.requireSpelling ?? "Require"):buttons" : " no-Require:buttons") : "")
        return "frame \(r.frame) \(status)\(r.isDeregistration ? " de-registration" : "")\(contact)\(flags)"
    }

    public var text: [String] {
        var out: [String] = []
        let s = tracked.loaded.statistics
        let span: String
        if let start = tracked.start, let end = tracked.end {
            span = "\(ClockTime.date(start)) \(ClockTime.format(start)) – \(ClockTime.format(end)) UTC (\(KeyDiagnosisFormat.seconds(end.seconds(since: start))))"
        } else {
            span = "no packets"
        }
        out.append("\(TerminalText.safe(path)) (\(tracked.loaded.format)): \(span)")
        if tracked.messageCount == 0, s.framesRead == 0, let nothing = NotReadText.line(s) {
            // Nothing was SIP: say what the capture held instead.
            out.append(nothing)
        } else {
            out.append("\(s.frames) frames, \(tracked.messageCount) SIP messages, \(tracked.exchangeCount) transactions")
            if let notRead = NotReadText.line(s) { out.append(notRead) }
        }
        SnapLengthText.lines(cuts, snapLength: s.snapLength).forEach { out.append($0) }
        out.append("")
        out.append("Phones:")
        if phones.isEmpty { out.append("  none (no REGISTER and no x-buttons MESSAGE)") }
        for p in phones {
            let keys = p.keys.isEmpty ? "no keys" : "keys " + p.keys.map(TerminalText.safe).joined(separator: ", ")
            out.append("  \(TerminalText.safe(p.user)): \(p.registrationCount) REGISTER, \(p.documents) document\(p.documents == 1 ? "" : "s"), \(keys)")
            if let d = p.device, d.model != nil { out.append("      " + TerminalText.safe(d.text) + " (User-Agent \"\(TerminalText.safe(d.userAgent))\", frame \(d.frame))") }
            if p.registrationsNotShown > 0 { out.append("      … \(p.registrationsNotShown) earlier REGISTER\(p.registrationsNotShown == 1 ? "" : "s") not shown") }
            for r in p.registrations { out.append("      " + TerminalText.safe(Self.registrationText(r))) }
        }
        out.append("")
        out.append("Transactions: " + outcomes.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")
                   + (methods.isEmpty ? "" : " (" + methods.map { "\($0.1) \(TerminalText.safe($0.0))" }.joined(separator: ", ") + ")"))
        out.append("")
        if problems.isEmpty {
            out.append("Problems: none found")
        } else {
            out.append("Problems:")
            for p in problems.prefix(10) {
                out.append("  \(p.severity.rawValue.uppercased()) \(TerminalText.safe(p.code)) ×\(p.count)" + (p.frame.map { " (e.g. frame \($0))" } ?? "")
                           + ": " + TerminalText.safe(Self.firstSentence(p.message)))
            }
            if problems.count > 10 { out.append("  … \(problems.count - 10) more kinds") }
        }
        out.append("")
        if tls.missing > 0 { out += tls.text + [""] }
        if next.isEmpty {
            out.append(phones.contains { !$0.keys.isEmpty } ? "Every key's last document came through: no `why` to run."
                       : "No key documents: nothing for `why` to explain.")
        } else {
            out.append("Worth asking next:")
            for r in next { out.append("  \(TerminalText.safe(whyCommand(r)))    # \(r.verdict.rawValue)") }
        }
        for n in notes { out.append("Note on key \(TerminalText.safe(n.key)) of \(TerminalText.safe(n.user)): \(TerminalText.safe(n.text))") }
        return out
    }

    public static func firstSentence(_ s: String) -> String {
        s.count > 140 ? String(s.prefix(139)) + "…" : s
    }

    public static func json(_ p: Phone) -> JSONValue {
        var fields: [(String, JSONValue)] = [("user", .string(p.user))]
        if p.registrationsNotShown > 0 { fields.append(("registrations_not_shown", .int(p.registrationsNotShown))) }
        fields.append(("registrations", .array(p.registrations.map { r in
            .object([("frame", .int(r.frame)), ("status", .optional(r.status)), ("outcome", .string(r.exchange.outcome.rawValue)),
                     ("supported_buttons", .bool(r.supportedButtons)), ("require_buttons", .bool(r.requireButtons)),
                     ("deregistration", .bool(r.isDeregistration)),
                     ("contacts", .array(r.contacts.map { c in
                         .object([("uri", .string(c.uri.raw)), ("line", .optional(c.line)), ("expires", .int(c.expires))])
                     }))])
        })))
        fields += DeviceRendering.jsonFields(p.device)
        fields.append(("documents", .int(p.documents)))
        fields.append(("keys", .array(p.keys.map(JSONValue.string))))
        return .object(fields)
    }

    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("file", .string(path)),
            ("format", .string(tracked.loaded.format)),
            ("start", tracked.start.map { .double($0.epochSeconds) } ?? .null),
            ("end", tracked.end.map { .double($0.epochSeconds) } ?? .null),
            ("frames", .int(tracked.loaded.statistics.frames)),
            ("sip_messages", .int(tracked.messageCount)),
            ("frames_read", .int(tracked.loaded.statistics.framesRead)),
            ("not_read", NotReadText.json(tracked.loaded.statistics)),
            ("capture_truncated", SnapLengthText.json(cuts, snapLength: tracked.loaded.statistics.snapLength)),
            ("phones", .array(phones.map(Self.json))),
            ("exchanges", .object(outcomes.map { ($0.0.rawValue, .int($0.1)) })),
            ("methods", .object(methods.map { ($0.0, .int($0.1)) })),
            ("problems", .array(problems.map { p in
                .object([("code", .string(p.code)), ("severity", .string(p.severity.rawValue)), ("count", .int(p.count)),
                         ("frame", .optional(p.frame)), ("message", .string(p.message))])
            })),
            ("next", .array(next.map { r in
                .object([("user", .string(r.user)), ("key", .string(r.key)), ("verdict", .string(r.verdict.rawValue)),
                         ("command", .string(whyCommand(r)))])
            })),
        ]
        if tls.missing > 0 {
            fields.insert(("tls", tls.json), at: fields.firstIndex { $0.0 == "next" } ?? fields.count)
        }
        if !notes.isEmpty {
            fields.append(("notes", .array(notes.map { n in .object([("user", .string(n.user)), ("key", .string(n.key)), ("note", .string(n.text))]) })))
        }
        return .object(fields)
    }
}
