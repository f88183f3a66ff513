import Analysis
import ArgumentParser
import Buttons
import Capture
import Diagnostics
import SIP

/// `buttonscope summary`: what to run first on an unknown capture.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarise a capture: phones, registrations, documents, keys, outcomes, top problems, what to ask next.",
        discussion: """
        Ends with the exact `buttonscope why` commands worth running: one for every key whose last document did not come through (not accepted, broken, overwritten…).

        Examples:
          buttonscope summary field.pcap
          buttonscope summary field.pcap --json | jq .next
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Flag(help: "Print one JSON document (fields: file format start end frames sip_messages phones exchanges problems next).")
    var json = false

    func run() throws {
        try runReporting {
            let analyzed = AnalyzedCapture(try LoadedCapture.load(capture.path))
            let summary = CaptureSummary(analyzed, path: capture.path)
            if json {
                Output.json(summary.json)
            } else {
                summary.text.forEach(Output.line)
            }
        }
    }
}

/// The facts `summary` prints, gathered once.
struct CaptureSummary {
    struct Phone {
        var user: String
        var registrations: [RegisterRecord]
        var messages: [Exchange]
        var keys: [String]
    }

    struct Problem {
        var code: String
        var severity: Diagnostic.Severity
        var count: Int
        var frame: Int?
        var message: String
    }

    var path: String
    var analyzed: AnalyzedCapture
    var phones: [Phone] = []
    var outcomes: [(ExchangeOutcome, Int)] = []
    var methods: [(String, Int)] = []
    var problems: [Problem] = []
    var next: [WhyReport] = []

    init(_ analyzed: AnalyzedCapture, path: String) {
        self.path = path
        self.analyzed = analyzed
        let diagnosis = KeyDiagnosis(exchanges: analyzed.exchanges, captureStart: analyzed.start, captureEnd: analyzed.end)
        let names: [String] = diagnosis.registrations.users + diagnosis.history.users
        let users: [String] = Set(names).sorted(by: CaptureSummary.userOrder)
        for user in users {
            phones.append(Phone(user: user, registrations: diagnosis.registrations.records(of: user),
                                messages: diagnosis.history.messagesByUser[user] ?? [], keys: diagnosis.history.keys(user: user)))
            for key in diagnosis.history.keys(user: user) {
                let report = diagnosis.why(user: user, key: key)
                if report.verdict != .accepted { next.append(report) }
            }
        }
        var byOutcome: [ExchangeOutcome: Int] = [:], byMethod: [String: Int] = [:]
        for e in analyzed.exchanges {
            byOutcome[e.outcome, default: 0] += 1
            byMethod[e.method, default: 0] += 1
        }
        outcomes = [ExchangeOutcome.accepted, .rejected, .unanswered, .unknown].map { ($0, byOutcome[$0] ?? 0) }
        methods = byMethod.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
        problems = Self.problems(analyzed, documents: diagnosis.history)
    }

    /// Every diagnostic by code: message framing, document findings, capture damage, and
    /// transactions that failed; the worst and commonest first.
    static func problems(_ a: AnalyzedCapture, documents: DocumentHistory) -> [Problem] {
        var found: [(Diagnostic, Int?)] = []
        for m in a.loaded.messages { found += m.diagnostics.map { ($0, $0.frame ?? m.frame) } }
        found += a.loaded.diagnostics.map { ($0, $0.frame) }
        for list in documents.messagesByUser.values {
            for e in list {
                let doc = ButtonsDocument(decoding: e.request.effectiveBody)
                found += doc.findings.map { ($0.diagnostic, e.request.frame) }
            }
        }
        for e in a.exchanges where e.outcome == .unanswered || e.outcome == .rejected {
            let what = e.outcome == .rejected
                ? Diagnostic("\(e.method.lowercased())-rejected-\(e.finalStatus ?? 0)", .error,
                             "\(e.method) answered \(e.finalStatus ?? 0) \(e.finalResponse?.reason ?? "")")
                : Diagnostic("\(e.method.lowercased())-unanswered", .error,
                             "\(e.method) never answered" + (e.unreachable.isEmpty ? "" : " (ICMP \(e.unreachable[0].reason))"))
            found.append((what, e.request.frame))
        }
        var byCode: [String: Problem] = [:]
        var order: [String] = []
        for (d, frame) in found {
            if var p = byCode[d.code] {
                p.count += 1
                if p.severity < d.severity { p.severity = d.severity }
                byCode[d.code] = p
            } else {
                byCode[d.code] = Problem(code: d.code, severity: d.severity, count: 1, frame: frame, message: d.message)
                order.append(d.code)
            }
        }
        return order.compactMap { byCode[$0] }.sorted { a, b in
            a.severity != b.severity ? a.severity > b.severity : a.count > b.count
        }
    }

    func whyCommand(_ r: WhyReport) -> String {
        "buttonscope why \(Self.shellQuoted(path)) --phone \(Self.shellQuoted(r.user)) --key \(Self.shellQuoted(r.key))"
    }

    /// Numeric users in numeric order, then the rest by name.
    static func userOrder(_ a: String, _ b: String) -> Bool {
        switch (Int(a), Int(b)) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a < b
        }
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_./:=@+,".unicodeScalars.contains(c)
        }
        return plain && !s.isEmpty ? s : "'" + s.replacingAll("'", with: "'\\''") + "'"
    }

    static func registrationText(_ r: RegisterRecord) -> String {
        let status = r.exchange.finalStatus.map { "\($0)" } ?? r.exchange.outcome.rawValue
        let contact = r.contacts.first.map { c in " \(c.uri.host):\(c.uri.port ?? 5060)" + (c.line.map { " line=\($0)" } ?? "") + " expires \(c.expires)s" } ?? ""
        let flags = (r.supportedButtons ? " Supported:buttons" : " no-Supported:buttons")
            + (r.succeeded ? (r.requireButtons ? " \(r.requireSpelling ?? "Require"):buttons" : " no-Require:buttons") : "")
        return "frame \(r.frame) \(status)\(r.isDeregistration ? " de-registration" : "")\(contact)\(flags)"
    }

    var text: [String] {
        var out: [String] = []
        let s = analyzed.loaded.statistics
        let span: String
        if let start = analyzed.start, let end = analyzed.end {
            span = "\(ClockTime.date(start)) \(ClockTime.format(start)) – \(ClockTime.format(end)) UTC (\(KeyDiagnosisFormat.seconds(end.seconds(since: start))))"
        } else {
            span = "no packets"
        }
        out.append("\(TerminalText.safe(path)) (\(analyzed.loaded.format)): \(span)")
        out.append("\(s.frames) frames, \(analyzed.loaded.messages.count) SIP messages, \(analyzed.exchanges.count) transactions")
        out.append("")
        out.append("Phones:")
        if phones.isEmpty { out.append("  none (no REGISTER and no x-buttons MESSAGE)") }
        for p in phones {
            let keys = p.keys.isEmpty ? "no keys" : "keys " + p.keys.map(TerminalText.safe).joined(separator: ", ")
            out.append("  \(TerminalText.safe(p.user)): \(p.registrations.count) REGISTER, \(p.messages.count) document\(p.messages.count == 1 ? "" : "s"), \(keys)")
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
        if next.isEmpty {
            out.append(phones.contains { !$0.keys.isEmpty } ? "Every key's last document came through: no `why` to run."
                       : "No key documents: nothing for `why` to explain.")
        } else {
            out.append("Worth asking next:")
            for r in next { out.append("  \(TerminalText.safe(whyCommand(r)))    # \(r.verdict.rawValue)") }
        }
        return out
    }

    static func firstSentence(_ s: String) -> String {
        s.count > 140 ? String(s.prefix(139)) + "…" : s
    }

    var json: JSONValue {
        .object([
            ("file", .string(path)),
            ("format", .string(analyzed.loaded.format)),
            ("start", analyzed.start.map { .double($0.epochSeconds) } ?? .null),
            ("end", analyzed.end.map { .double($0.epochSeconds) } ?? .null),
            ("frames", .int(analyzed.loaded.statistics.frames)),
            ("sip_messages", .int(analyzed.loaded.messages.count)),
            ("phones", .array(phones.map { p in
                .object([
                    ("user", .string(p.user)),
                    ("registrations", .array(p.registrations.map { r in
                        .object([("frame", .int(r.frame)), ("status", .optional(r.status)), ("outcome", .string(r.exchange.outcome.rawValue)),
                                 ("supported_buttons", .bool(r.supportedButtons)), ("require_buttons", .bool(r.requireButtons)),
                                 ("deregistration", .bool(r.isDeregistration)),
                                 ("contacts", .array(r.contacts.map { c in
                                     .object([("uri", .string(c.uri.raw)), ("line", .optional(c.line)), ("expires", .int(c.expires))])
                                 }))])
                    })),
                    ("documents", .int(p.messages.count)),
                    ("keys", .array(p.keys.map(JSONValue.string))),
                ])
            })),
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
        ])
    }
}

enum KeyDiagnosisFormat {
    static func seconds(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : s < 120 ? "\(Int(s.rounded())) s" : "\(Int(s / 60)) min \(Int(s) % 60) s"
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
