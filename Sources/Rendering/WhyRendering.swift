import Analysis
import Capture
import SIP

/// The text and JSON forms of a `WhyReport`.
public enum WhyRendering {
    public static func json(_ r: WhyReport) -> JSONValue {
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

    public static func text(_ r: WhyReport) -> [String] {
        let color = TerminalColour.enabled
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
