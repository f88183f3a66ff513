import Analysis
import Base
import SIP
import SIPCapture

/// The lines and objects of `lint`.
public enum LintRendering {
    public static func json(_ f: LintFinding, _ carried: CarriedDocument) -> JSONValue {
        json(f, time: carried.request.time.epochSeconds)
    }

    public static func json(_ f: LintFinding, time: Double) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("frame", .int(f.frame)),
            ("time", .double(time)),
            ("severity", .string(f.severity.rawValue)),
            ("code", .string(f.code)),
            ("message", .string(f.message)),
            ("user", .optional(f.user)),
            ("key", .optional(f.key)),
            ("line", .optional(f.line)),
        ]
        if let read = f.readBody, let wire = f.wireBody {
            fields.append(("read_body", .string(String(decoding: read, as: UTF8.self))))
            fields.append(("wire_body", .string(String(decoding: wire, as: UTF8.self))))
        }
        return .object(fields)
    }

    /// A MESSAGE document the snap length cut before its Content-Type or body (`SnapLengthCuts`):
    /// nil for a cut REGISTER, which is no document.
    public static func cutFinding(_ m: CapturedMessage) -> LintFinding? {
        guard m.message.method?.uppercased() == "MESSAGE" else { return nil }
        let user = PhoneParty.phone(of: m)?.user
        let what = m.message.contentType == nil ? "before its Content-Type" : "before its body"
        // An error although the capture is to blame: the document cannot be vouched for, and a
        // script running lint must not take "exit 0" for "every document is fine".
        return LintFinding(frame: m.frame, severity: .error, code: "capture-truncated",
                           message: "frame \(m.frame): the capture's snap length cut this MESSAGE\(user.map { " to phone \($0)" } ?? "") \(what): the document was sent but cannot be read from this capture; capture whole packets: \(SnapLengthCuts.wholePacketsCommand)",
                           user: user, key: nil)
    }

    public static func text(_ list: [LintFinding], _ carried: CarriedDocument) -> [String] {
        text(list, carried.request)
    }

    public static func text(_ list: [LintFinding], _ m: CapturedMessage) -> [String] {
        var out: [String] = []
        let direction = PhoneParty.direction(of: m) == .toPhone ? "to phone" : "from phone"
        out.append(KeyStateRendering.paint("frame \(m.frame)", .bold) + "  \(ClockTime.format(m.time))  \(TerminalText.safe(m.message.method ?? "?")) \(direction)"
                    + (list.first?.user.map { " \(TerminalText.safe($0))" } ?? ""))
        for f in list {
            let severity: String
            switch f.severity {
            case .error: severity = KeyStateRendering.paint("error  ", .red)
            case .warning: severity = KeyStateRendering.paint("warning", .yellow)
            case .info: severity = "note   "
            }
            var place: [String] = []
            if let key = f.key { place.append("key \(TerminalText.safe(key))") }
            if let line = f.line { place.append("line \(line)") }
            let at = place.isEmpty ? "" : " (" + place.joined(separator: ", ") + ")"
            out.append("  \(severity) \(f.code)\(at): \(TerminalText.safe(f.message))")
        }
        out.append("")
        return out
    }
}
