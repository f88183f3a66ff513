import SIPCapture
import Analysis
import ArgumentParser
import Buttons
import SIP
import Sender
import Pipeline
import Rendering

/// `buttonscope replay`: captured requests re-sent to one phone, as a fault reproduction.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-send captured x-buttons MESSAGEs to a phone (only to --to), to reproduce what it did.",
        discussion: """
        By default every x-buttons MESSAGE the PBX sent a phone is chosen (captured retransmissions left out); --frames, --phone/--key, --call-id and --from/--until narrow it. Each request keeps its body byte for byte (so a fault reproduces) and its other headers, but gets a new Request-URI and To for the target and fresh Via, Call-ID, From tag and CSeq. Content-Length is computed from the bytes sent, except where the captured one cut the body (a fault to reproduce: it is kept) or with --keep-content-length. --fix sends what the sender evidently meant, so that `buttonscope lint` passes: entries packed on one line split, letters and values lowercased, a missing empty line before the next k= added, k= put first, lines that are no entry left out, Content-Type application/x-buttons, Content-Length counted; it lists every change, and says what it cannot mend (an unknown light, a description with no k=). Nothing is sent to any address in the capture.

        Key presses travel the other way (the phone's MESSAGE to its registrar with Proxy-Require: buttons, To = the key's number), so they are never sent to a phone: they are left out, and counted. --presses sends only the presses instead, to the PBX given with --to; each keeps its To user (the key's number) on the PBX's host.

        Exit status: 0 all answered 2xx, 1 an exchange failed (no answer, error, or status ≥ 300), 2 unusable input.

        Examples:
          buttonscope replay field.pcap --to sip:44@192.0.2.10:5060 --frames 12,15-18 --dry-run
          buttonscope replay field.pcap --to 'sip:44@192.0.2.10;transport=tcp' --phone 44 --key 3 --pace original
          buttonscope replay shared-line.pcap --presses --phone 404 --to sip:404@192.0.2.1:5060   # 404's presses to a PBX
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Option(help: ArgumentHelp("The phone (with --presses, the PBX): sip:USER@HOST[:PORT][;transport=udp|tcp|tls].", valueName: "uri"))
    var to: String

    @Flag(help: "Send the phones' own key presses (MESSAGEs with Proxy-Require: buttons) instead of the documents; --to is then a PBX.")
    var presses = false

    /// --frames (any request there, not only x-buttons; --select is the old spelling), --phone, --key, --call-id, --from, --until.
    @OptionGroup(title: "Selection") var select: SelectionOptions

    @Option(help: ArgumentHelp("original (as captured), Nx (N times faster, e.g. 2x), or fast (each after the previous answer).", valueName: "pace"))
    var pace = "fast"

    @Flag(help: "Send each document as its sender meant it, so lint passes (one entry a line, CRLF, k= first, Content-Type and Content-Length right), and say what changed or what cannot be mended.")
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
            try select.check()
            var selection = ReplaySelection()
            selection.presses = presses
            // Streamed: only the chosen requests are kept. Times are read against the first
            // message's day, known when it comes.
            var chosen = ReplaySelection.Result()
            var count = 0
            _ = try LoadedCapture.stream(capture.source(keyLogMayBeNew: true)) { m in
                if count == 0 { selection.selection = select.selection(reference: m.time) }
                count += 1
                selection.consider(m, into: &chosen)
            }
            guard let first = chosen.chosen.first else {
                let other = chosen.otherDirectionSkipped == 0 ? ""
                    : presses ? "; \(chosen.otherDirectionSkipped) matching documents to phones are left out by --presses"
                    : "; \(chosen.otherDirectionSkipped) matching key presses are left out: --presses sends them, to a PBX"
                throw UnusableInput("\(capture.path): nothing to replay (\(count) SIP messages; none matched the selection\(other))")
            }
            if chosen.otherDirectionSkipped > 0 && !json {
                let n = chosen.otherDirectionSkipped
                Output.line(presses
                    ? "left out \(n) document\(n == 1 ? "" : "s") sent to phones (--presses sends only the phones' key presses)"
                    : "left out \(n) key press\(n == 1 ? "" : "es") the phone sent to its PBX (presses go phone → PBX, never to a phone: --presses sends them, to a PBX)")
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
                if presses, let keyNumber = m.message.toUser {
                    // A press names the key's number in To (the PBX acts on it), on the PBX's host.
                    request.to = "<sip:\(keyNumber)@\(target.hostForURI)>"
                }
                if cutsBody && !fix && !keepContentLength && !json {
                    Output.line("frame \(m.frame): keeping its Content-Length \(m.message.declaredContentLength.value ?? 0), which cuts the \(m.message.body.count)-byte body, so the fault reproduces (--fix sends it whole)")
                }
                if fix, CarriedDocument(m) != nil {
                    let fixed = ReplayFix.fix(m, into: &request)
                    if json {
                        Output.json(.object([("record", "fix"), ("frame", .int(m.frame)), ("changed", .bool(!fixed.changes.isEmpty)),
                                             ("notes", .array(fixed.changes.map(JSONValue.string))), ("valid", .bool(fixed.unfixable.isEmpty)),
                                             ("unfixable", .array(fixed.unfixable.map(JSONValue.string)))]))
                    } else {
                        Output.line("frame \(m.frame): " + (fixed.changes.isEmpty ? "--fix: already canonical" : "--fix: " + fixed.changes.joined(separator: "; ")))
                        if !fixed.unfixable.isEmpty {
                            Output.line("frame \(m.frame): --fix cannot make it pass lint: " + fixed.unfixable.joined(separator: "; "))
                        }
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

/// `--fix`: the request a phone reads as its sender meant it, so that `lint` passes: the body
/// repaired and written canonically (`ButtonsRepair`), Content-Type application/x-buttons, and a
/// Content-Length that counts the whole body. Every change is listed; what cannot be mended is said.
enum ReplayFix {
    static func fix(_ m: CapturedMessage, into request: inout OutgoingRequest) -> (changes: [String], unfixable: [String]) {
        var changes: [String] = []
        let repair = ButtonsRepair.repair(m.message.body)
        request.body = repair.body
        changes += repair.changes
        let type = m.message.contentType
        if !(type.map(ButtonsDocument.isButtonsContentType) ?? false) {
            request.headers.removeAll { $0.key == "content-type" }
            request.headers.append(SIPHeader(name: "Content-Type", value: ButtonsDocument.contentType))
            changes.append("Content-Type \(type.map { "\"\($0)\"" } ?? "missing") → \(ButtonsDocument.contentType) (a phone reads the body only under it)")
        }
        if let declared = m.message.declaredContentLength.value, declared != m.message.body.count {
            changes.append("Content-Length \(declared) \(declared < m.message.body.count ? "cut" : "overstated") the \(m.message.body.count)-byte body: now \(repair.body.count), counted from the bytes sent")
        }
        request.contentLength = .computed
        return (changes, repair.unfixable.map { "\($0.code): \($0.message)" })
    }
}
