import Base
import Analysis
import ArgumentParser
import Capture
import SIP

/// `buttonscope why`: the chain for the last change of one key, and its first broken link.
struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain why a key's lamp did not change: the first broken link, with the frame that proves it.",
        discussion: """
        Walks the chain for the last document sent for the key (before --at): a document was sent, the phone was registered with Supported: buttons, the MESSAGE went to its registered contact and user and line=, it was answered, and accepted, the document is valid, and no later document replaced it. The first link that breaks is the verdict (JSON `verdict`): no-document, registration, wrong-destination, unanswered, rejected, broken-document; or accepted when every link holds. Exit status 1 when a link is broken. A description without c= after one that lit the lamp is the spec's way of turning it off: accepted, with a note (JSON `notes`) in case the PBX forgot c=.

        Examples:
          buttonscope why field.pcap --phone 44 --key 3
          buttonscope why field.pcap --phone 44 --key 3 --at 10:42:07 --json
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: "The phone's SIP user (e.g. 44).")
    var phone: String

    @Option(help: "The key's name as in k= (e.g. 3).")
    var key: String

    @Option(help: "Only documents sent up to this time: HH:MM:SS[.fff] UTC on the capture's first day, or epoch seconds.")
    var at: String?

    @Flag(help: "Print one JSON document: {user, key, verdict, chain: [{check, ok, frame, detail}], next_step}.")
    var json = false

    func run() throws {
        var broken = false
        try runReporting {
            // Streamed: only this phone's registrations and this key's documents are kept (`WhyFacts`).
            var facts: WhyFacts?
            var badAt = false
            func start(reference: Timestamp?) {
                guard facts == nil else { return }
                var limit: Timestamp?
                if let at {
                    // --at is read against the capture's first day: known once the first frame is.
                    if let epoch = ClockTime.parse(at, reference: reference) { limit = TrackedCapture.timestamp(epoch) } else { badAt = true }
                }
                facts = WhyFacts(user: phone, key: key, until: limit, keptRegistrations: SummaryTally.keptRegistrations)
            }
            if let at, ClockTime.parse(at, reference: nil) == nil {
                throw UnusableInput("--at \(at): expected HH:MM:SS[.fff] (UTC) or epoch seconds")
            }
            var cuts = SnapLengthCuts()
            let tracked = try TrackedCapture.stream(capture, onFrame: { frame in
                if facts == nil { start(reference: frame.timestamp) }
            }, onMessage: { cuts.add($0) }) { e in
                start(reference: nil)
                facts?.add(e)
            }
            start(reference: tracked.start)
            if badAt { throw UnusableInput("--at \(at ?? ""): expected HH:MM:SS[.fff] (UTC) or epoch seconds") }
            guard var facts else { return }
            facts.captureStart = tracked.start
            facts.captureEnd = tracked.end
            let report = facts.why(user: phone, key: key)
            broken = report.firstBroken != nil
            let cut = SnapLengthText.concerns(cuts, user: phone)
            let snap = tracked.loaded.statistics.snapLength
            if json {
                var document = WhyRendering.json(report)
                if cut, case .object(let fields) = document {
                    document = .object(fields + [("capture_truncated", SnapLengthText.json(cuts, snapLength: snap, only: phone))])
                }
                Output.json(document)
            } else {
                WhyRendering.text(report).forEach(Output.line)
                if cut {
                    Output.line("")
                    Output.line("The capture cannot show everything:")
                    SnapLengthText.lines(cuts, snapLength: snap, only: phone).forEach { Output.line("  " + $0) }
                }
            }
            TLSKeysAdvice.note(tracked.loaded)
        }
        if broken { throw ExitStatus.problemsFound }
    }
}

/// The text and JSON forms of a `WhyReport`.
enum WhyRendering {
    static func json(_ r: WhyReport) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("user", .string(r.user)),
            ("key", .string(r.key)),
            ("verdict", .string(r.verdict.rawValue)),
            ("frame", .optional(r.firstBroken?.frame ?? r.document?.frame)),
            ("chain", .array(r.chain.map { l in
                .object([("check", .string(l.check)), ("ok", .bool(l.ok)), ("frame", .optional(l.frame)), ("detail", .string(l.detail))])
            })),
            ("next_step", .string(r.nextStep)),
        ]
        if !r.notes.isEmpty { fields.append(("notes", .array(r.notes.map(JSONValue.string)))) }
        return .object(fields)
    }

    static func text(_ r: WhyReport) -> [String] {
        let color = Output.useColor
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1b}[\(code)m\(s)\u{1b}[0m" : s }
        var lines: [String] = []
        let title = r.verdict == .accepted
            ? "Key \(r.key) of \(r.user): every link holds (accepted)."
            : "Key \(r.key) of \(r.user): \(r.verdict.rawValue)."
        lines.append(paint(TerminalText.safe(title), "1"))
        var seenBroken = false
        for link in r.chain {
            let mark = link.ok ? paint("✓", "32") : paint("✗", "31")
            let frame = link.frame.map { " [frame \($0)]" } ?? ""
            let dim = seenBroken && link.ok
            let text = "  \(mark) \(link.check)\(frame): \(TerminalText.safe(link.detail))"
            lines.append(dim ? paint(text, "2") : text)
            if !link.ok && !seenBroken { seenBroken = true }
        }
        lines.append("")
        for note in r.notes { lines.append("Note: " + TerminalText.safe(note)) }
        lines.append("Next: " + TerminalText.safe(r.nextStep))
        return lines
    }
}
