import SIPCapture
import Analysis
import ArgumentParser
import Base
import Buttons
import SIP
import Pipeline
import Rendering

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
            var memo = DescriptionMemo()
            let tracked = try StreamedKeyRun().run(capture.source()) { m, exchange in
                // Retransmitted copies repeat the first copy's faults: checked once.
                if let exchange, exchange.request.frame != m.frame { return }
                if SnapLengthCuts.isCut(m) {
                    guard cuts.add(m), let f = LintRendering.cutFinding(m) else { return }
                    findings += 1
                    errors += 1
                    if json { Output.json(LintRendering.json(f, time: m.time.epochSeconds)) } else { LintRendering.text([f], m).forEach(Output.line) }
                    return
                }
                guard let carried = CarriedDocument(m, memo: &memo) else { return }
                documents += 1
                let list = DocumentLint.findings(for: carried)
                guard !list.isEmpty else { return }
                findings += list.count
                errors += list.filter { $0.severity == .error }.count
                warnings += list.filter { $0.severity == .warning }.count
                if json {
                    list.forEach { Output.json(LintRendering.json($0, carried)) }
                } else {
                    LintRendering.text(list, carried).forEach(Output.line)
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
            UnreadNotes.write(tracked.loaded)
        }
        if errors > 0 { throw ExitStatus.problemsFound }
    }
}
