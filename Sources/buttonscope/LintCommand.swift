import SIPCapture
import Analysis
import ArgumentParser
import Base
import SIP

/// `buttonscope lint`: every fault in every x-buttons document, exit status 1 if any is an error.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check every x-buttons document in a capture and say what a phone would do with each fault.",
        discussion: """
        Each document is checked three ways: how it travelled (Content-Length against the bytes sent, a missing Content-Length over TCP, a body the capture's snap length cut, a hole in a TCP stream), how it was labelled (a buttons body under another Content-Type, or the reverse: wrong-content-type) and what it says (the x-buttons grammar: bare-lf, key-not-first, entries-on-one-line, unknown-property, invalid-value, forbidden-character, invalid-utf8, empty-document…). Documents are read as the phone read them: when Content-Length cut the body, both the body read and the body sent are shown.

        Findings are grouped by frame. Retransmitted copies are checked once.

        A MESSAGE whose Content-Type or body the capture's snap length cut away cannot be checked at all: it is listed as a capture-truncated error (the capture's fault, not the phone's: nothing can be said of the document), with the command that captures whole packets.

        Exit status: 0 when no finding is an error (warnings and notes allowed), 1 when at least one is, 2 when the capture cannot be read.

        Examples:
          buttonscope lint field.pcap
          buttonscope lint field.pcap --json | jq -r 'select(.severity == "error") | .code' | sort | uniq -c
          buttonscope lint field.pcap > /dev/null || echo "some document is broken"

        --json prints one object per finding: frame time severity code message user key line, plus read_body and wire_body when Content-Length cut the body.
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Flag(help: "Print NDJSON, one object per finding.")
    var json = false

    func run() throws {
        var errors = 0
        try runReporting {
            // Streamed: each document is checked as its fate becomes known, and forgotten.
            var documents = 0
            var findings = 0, warnings = 0
            var cuts = SnapLengthCuts()
            let tracked = try StreamedKeyRun().run(capture) { m, exchange in
                // Retransmitted copies repeat the first copy's faults: checked once.
                if let exchange, exchange.request.frame != m.frame { return }
                if SnapLengthCuts.isCut(m) {
                    guard cuts.add(m), let f = LintRendering.cutFinding(m) else { return }
                    findings += 1
                    errors += 1
                    if json { Output.json(LintRendering.json(f, time: m.time.epochSeconds)) } else { LintRendering.text([f], m) }
                    return
                }
                guard let carried = CarriedDocument(m) else { return }
                documents += 1
                let list = DocumentLint.findings(for: carried)
                guard !list.isEmpty else { return }
                findings += list.count
                errors += list.filter { $0.severity == .error }.count
                warnings += list.filter { $0.severity == .warning }.count
                if json {
                    list.forEach { Output.json(LintRendering.json($0, carried)) }
                } else {
                    LintRendering.text(list, carried)
                }
            }
            let cutLines = SnapLengthText.lines(cuts, snapLength: tracked.loaded.statistics.snapLength)
            if !json {
                if documents == 0 && cuts.documents > 0 {
                    Output.line("No x-buttons document could be read from this capture:")
                    cutLines.forEach { Output.line("  " + $0) }
                } else if findings == 0 {
                    Output.line(documents == 0 ? "No x-buttons documents in this capture."
                                : "\(documents) x-buttons document\(documents == 1 ? "" : "s"), no faults found.")
                } else {
                    Output.line("\(findings) finding\(findings == 1 ? "" : "s") (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")) in \(documents) x-buttons document\(documents == 1 ? "" : "s").")
                    cutLines.forEach(Output.line)
                }
            }
            TLSKeysAdvice.note(tracked.loaded)
        }
        if errors > 0 { throw ExitStatus.problemsFound }
    }
}

/// The lines and objects of `lint`.
enum LintRendering {
    static func json(_ f: LintFinding, _ carried: CarriedDocument) -> JSONValue {
        json(f, time: carried.request.time.epochSeconds)
    }

    static func json(_ f: LintFinding, time: Double) -> JSONValue {
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
    static func cutFinding(_ m: CapturedMessage) -> LintFinding? {
        guard m.message.method?.uppercased() == "MESSAGE" else { return nil }
        let user = PhoneParty.phone(of: m)?.user
        let what = m.message.contentType == nil ? "before its Content-Type" : "before its body"
        // An error although the capture is to blame: the document cannot be vouched for, and a
        // script running lint must not take "exit 0" for "every document is fine".
        return LintFinding(frame: m.frame, severity: .error, code: "capture-truncated",
                           message: "frame \(m.frame): the capture's snap length cut this MESSAGE\(user.map { " to phone \($0)" } ?? "") \(what): the document was sent but cannot be read from this capture; capture whole packets: \(SnapLengthCuts.wholePacketsCommand)",
                           user: user, key: nil)
    }

    static func text(_ list: [LintFinding], _ carried: CarriedDocument) {
        text(list, carried.request)
    }

    static func text(_ list: [LintFinding], _ m: CapturedMessage) {
        let direction = PhoneParty.direction(of: m) == .toPhone ? "to phone" : "from phone"
        Output.line(KeyStateRendering.paint("frame \(m.frame)", .bold) + "  \(ClockTime.format(m.time))  \(TerminalText.safe(m.message.method ?? "?")) \(direction)"
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
            Output.line("  \(severity) \(f.code)\(at): \(TerminalText.safe(f.message))")
        }
        Output.line("")
    }
}
