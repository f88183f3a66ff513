import SIPCapture
import Analysis
import ArgumentParser
import Buttons
import Capture
import Base
import SIP

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
            let tracked = try TrackedCapture.stream(capture, onMessage: { tally.add(message: $0) }) { tally.add(exchange: $0) }
            let summary = tally.summary(tracked, path: capture.path)
            if json {
                Output.json(summary.json)
            } else {
                summary.text.forEach(Output.line)
            }
        }
    }
}

/// What `summary` gathers while the capture streams by, bounded: counts, per phone its last
/// `keptRegistrations` REGISTERs and its documents and keys, per key what `why` needs
/// (`WhyFacts`), and problems counted by code with one example each.
struct SummaryTally {
    static let keptRegistrations = 20

    var facts = WhyFacts(keptRegistrations: SummaryTally.keptRegistrations)
    private var byOutcome: [ExchangeOutcome: Int] = [:]
    private var byMethod: [String: Int] = [:]
    /// Kept apart so that the examples come in the order the summary has always given them:
    /// message framing, capture damage, document findings, failed transactions.
    private var messageProblems = ProblemCounts()
    private var documentProblems = ProblemCounts()
    private var exchangeProblems = ProblemCounts()

    /// Documents the snap length cut away (`SnapLengthCuts`).
    var cuts = SnapLengthCuts()

    mutating func add(message m: CapturedMessage) {
        cuts.add(m)
        for d in m.diagnostics { messageProblems.add(d, frame: d.frame ?? m.frame) }
    }

    mutating func add(exchange e: Exchange) {
        byOutcome[e.outcome, default: 0] += 1
        byMethod[e.method, default: 0] += 1
        if let read = facts.add(e) {
            let cut = DocumentLint.bodyEndsEarly(e.request)
            for f in read.findings where !(cut && f.code == GrammarEdges.missingLineEndCode) {
                documentProblems.add(f.diagnostic, frame: e.request.frame)
            }
        }
        if e.outcome == .unanswered || e.outcome == .rejected {
            let what = e.outcome == .rejected
                ? Diagnostic("\(e.method.lowercased())-rejected-\(e.finalStatus ?? 0)", .error,
                             "\(e.method) answered \(e.finalStatus ?? 0) \(e.finalResponse?.reason ?? "")")
                : Diagnostic("\(e.method.lowercased())-unanswered", .error,
                             "\(e.method) never answered" + (e.unreachable.isEmpty ? "" : " (ICMP \(e.unreachable[0].reason))"))
            exchangeProblems.add(what, frame: e.request.frame)
        }
    }

    /// The summary once the capture has ended.
    func summary(_ tracked: TrackedCapture, path: String) -> CaptureSummary {
        var facts = self.facts
        facts.captureStart = tracked.start
        facts.captureEnd = tracked.end
        var s = CaptureSummary(path: path, tracked: tracked)
        s.cuts = cuts
        for user in facts.users.sorted(by: CaptureSummary.userOrder) {
            let keys = facts.keys(user: user)
            s.phones.append(CaptureSummary.Phone(user: user, registrations: facts.registrations.records(of: user),
                                                 registrationCount: facts.registrations.count(of: user),
                                                 documents: facts.phones[user]?.documents ?? 0, keys: keys,
                                                 device: facts.devices.device(of: user)))
            let reports = facts.whyEveryKey(user: user)
            s.next += reports.filter { $0.verdict != .accepted }
            s.notes += reports.flatMap { r in r.notes.map { (user: r.user, key: r.key, text: $0) } }
        }
        s.outcomes = [ExchangeOutcome.accepted, .rejected, .unanswered, .unknown].map { ($0, byOutcome[$0] ?? 0) }
        s.methods = byMethod.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { ($0.key, $0.value) }
        var capture = ProblemCounts()
        for d in tracked.loaded.diagnostics { capture.add(d, frame: d.frame) }
        s.problems = ProblemCounts.merged([messageProblems, capture, documentProblems, exchangeProblems,
                                           WhyProblems.uncounted(s.next)]).ranked
        s.tls = TLSKeysAdvice(diagnostics: tracked.loaded.diagnostics, keyLog: tracked.loaded.tlsKeyLog)
        return s
    }
}

/// The facts `summary` prints, gathered once.
struct CaptureSummary {
    struct Phone {
        var user: String
        /// The last `SummaryTally.keptRegistrations` REGISTER exchanges.
        var registrations: [RegisterRecord]
        /// All of them.
        var registrationCount: Int
        /// MESSAGE exchanges that carried it a document.
        var documents: Int
        var keys: [String]
        /// Model and firmware from its User-Agent.
        var device: PhoneDevice?

        var registrationsNotShown: Int { registrationCount - registrations.count }
    }

    typealias Problem = ProblemCounts.Problem

    var path: String
    var tracked: TrackedCapture
    var phones: [Phone] = []
    var outcomes: [(ExchangeOutcome, Int)] = []
    var methods: [(String, Int)] = []
    var problems: [Problem] = []
    var next: [WhyReport] = []
    /// `why`'s notes on keys that are fine (a c=-less update that turned a lamp off).
    var notes: [(user: String, key: String, text: String)] = []
    var cuts = SnapLengthCuts()
    /// TLS connections left unread for want of keys, and what would help.
    var tls = TLSKeysAdvice(diagnostics: [], keyLog: nil)

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

    static func firstSentence(_ s: String) -> String {
        s.count > 140 ? String(s.prefix(139)) + "…" : s
    }

    static func json(_ p: Phone) -> JSONValue {
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

    var json: JSONValue {
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
