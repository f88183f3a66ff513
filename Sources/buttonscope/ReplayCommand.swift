import ArgumentParser
import Buttons
import SIP
import Sender

/// `buttonscope replay`: captured requests re-sent to one phone, as a fault reproduction.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-send captured x-buttons MESSAGEs to a phone (only to --to), to reproduce what it did.",
        discussion: """
        By default every x-buttons MESSAGE of the capture is chosen (captured retransmissions left out); --select, --phone/--key, --call-id and --from/--until narrow it. Each request keeps its body byte for byte (so a fault reproduces) and its other headers, but gets a new Request-URI and To for the target and fresh Via, Call-ID, From tag and CSeq. Content-Length is computed from the bytes sent, except where the captured one cut the body (a fault to reproduce: it is kept) or with --keep-content-length. --fix re-encodes the document canonically and says what changed. Nothing is sent to any address in the capture.

        Exit status: 0 all answered 2xx, 1 an exchange failed (no answer, error, or status ≥ 300), 2 unusable input.

        Examples:
          buttonscope replay field.pcap --to sip:44@192.0.2.10:5060 --select 12,15-18 --dry-run
          buttonscope replay field.pcap --to 'sip:44@192.0.2.10;transport=tcp' --phone 44 --key 3 --pace original
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: ArgumentHelp("The phone: sip:USER@HOST[:PORT][;transport=udp|tcp|tls].", valueName: "uri"))
    var to: String

    @Option(help: ArgumentHelp("Frames and ranges, e.g. 12,15-18 (any request there, not only x-buttons).", valueName: "frames"))
    var select: String?

    @Option(help: ArgumentHelp("Only requests concerning this phone (its SIP user).", valueName: "user"))
    var phone: String?

    @Option(help: ArgumentHelp("Only documents that describe this key.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("Only this Call-ID.", valueName: "id"))
    var callID: String?

    @Option(help: ArgumentHelp("Only from this time (HH:MM:SS[.fff] UTC, or epoch seconds).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only until this time.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("original (as captured), Nx (N times faster, e.g. 2x), or fast (each after the previous answer).", valueName: "pace"))
    var pace = "fast"

    @Flag(help: "Re-encode each document canonically (CRLF, k= first, canonical order) and say what changed.")
    var fix = false

    @Flag(help: "Keep the captured Content-Length as written (to reproduce a wrong one).")
    var keepContentLength = false

    @Flag(help: "Print the exact bytes instead of sending.")
    var dryRun = false

    @Flag(help: "Print NDJSON: one object per exchange (record exchange: step frame method status reason latency ok error…), then a summary.")
    var json = false

    @OptionGroup var sender: SenderOptions

    func run() throws {
        var ok = true
        try runReporting {
            let target = try SenderOptions.target(to)
            let scale = try paceScale()
            var selection = ReplaySelection(phone: phone, key: key, callID: callID)
            if let select {
                guard let frames = FrameRanges(select) else { throw UnusableInput("--select \(select): expected frames and ranges like 12,15-18") }
                selection.frames = frames
            }
            // Streamed: only the chosen requests are kept. Times are read against the first
            // message's day, known when it comes.
            for (name, value) in [("--from", from), ("--until", until)] {
                if let value, ClockTime.parse(value, reference: nil) == nil {
                    throw UnusableInput("\(name) \(value): expected HH:MM:SS[.fff] or epoch seconds")
                }
            }
            var chosen = ReplaySelection.Result()
            var count = 0
            _ = try LoadedCapture.stream(capture, keyLogMayBeNew: true) { m in
                if count == 0 {
                    selection.from = from.flatMap { ClockTime.parse($0, reference: m.time) }
                    selection.until = until.flatMap { ClockTime.parse($0, reference: m.time) }
                }
                count += 1
                selection.consider(m, into: &chosen)
            }
            guard let first = chosen.chosen.first else {
                throw UnusableInput("\(capture.path): nothing to replay (\(count) SIP messages; none matched the selection)")
            }
            if chosen.retransmissionsSkipped > 0 && !json {
                Output.line("left out \(chosen.retransmissionsSkipped) captured retransmission\(chosen.retransmissionsSkipped == 1 ? "" : "s")")
            }
            var steps: [ExchangeStep] = []
            for m in chosen.chosen {
                // A captured Content-Length shorter than the captured body is the sender's fault:
                // keep it, so the phone reads the same cut body again (unless --fix).
                let cutsBody = m.message.declaredContentLength.value.map { $0 < m.message.body.count } ?? false
                var request = OutgoingRequest(replaying: m.message, keepContentLength: keepContentLength || (cutsBody && !fix))
                if cutsBody && !fix && !keepContentLength && !json {
                    Output.line("frame \(m.frame): keeping its Content-Length \(m.message.declaredContentLength.value ?? 0), which cuts the \(m.message.body.count)-byte body, so the fault reproduces (--fix sends it whole)")
                }
                if fix, ReplaySelection.isButtons(m.message) {
                    let fixed = ReplayFix.fix(m.message.body)
                    request.body = fixed.body
                    if json {
                        Output.json(.object([("record", "fix"), ("frame", .int(m.frame)), ("changed", .bool(fixed.changed)),
                                             ("notes", .array(fixed.notes.map(JSONValue.string)))]))
                    } else {
                        Output.line("frame \(m.frame): " + (fixed.changed ? "--fix: " + fixed.notes.joined(separator: "; ") : "--fix: already canonical"))
                    }
                }
                let offset = scale.map { m.time.seconds(since: first.time) / $0 } ?? 0
                steps.append(ExchangeStep(label: "frame \(m.frame) \(m.message.method ?? "?")", frame: m.frame, request: request, offset: offset))
            }
            if dryRun {
                try DryRun.print(steps, target: target, options: sender, json: json)
                return
            }
            ok = try ExchangeRun.run(steps, target: target, options: sender, keyLog: capture.tlsKeys.keyLog, concurrent: scale != nil, json: json)
        }
        if !ok { throw ExitStatus.problemsFound }
    }

    /// nil for back to back; else the speed-up factor (1 for original).
    private func paceScale() throws -> Double? {
        switch pace.lowercased() {
        case "fast": return nil
        case "original", "1x": return 1
        default:
            if pace.lowercased().hasSuffix("x"), let n = Double(pace.dropLast()), n > 0, n.isFinite { return n }
            throw UnusableInput("--pace \(pace): expected original, fast or a factor like 2x")
        }
    }
}

/// `--fix`: the canonical encoding of a body, and what changed compared with the captured one.
enum ReplayFix {
    static func fix(_ body: [UInt8]) -> (body: [UInt8], changed: Bool, notes: [String]) {
        let document = ButtonsDocument(decoding: body)
        let fixed = ButtonsEncoder.encode(document.descriptions.filter { $0.key != nil || !$0.entries.isEmpty })
        guard fixed != body else { return (body, false, []) }
        var notes: [String] = ["\(body.count) → \(fixed.count) bytes"]
        if document.lineEnding != .crlf { notes.append("line endings \(document.lineEnding.rawValue) → CRLF") }
        let oldEntries = document.descriptions.flatMap { $0.entries.map(\.text) }
        let newEntries = ButtonsDocument(decoding: fixed).descriptions.flatMap { $0.entries.map(\.text) }
        if oldEntries != newEntries {
            if Set(oldEntries) == Set(newEntries) { notes.append("entries put in canonical order") }
            else { notes.append("entries now: \(newEntries.joined(separator: " "))") }
        }
        for finding in document.findings { notes.append("was \(finding.code): \(finding.message)") }
        return (fixed, true, notes)
    }
}
