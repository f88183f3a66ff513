import Base
import Analysis
import ArgumentParser
import Capture
import SIP
import Pipeline
import Rendering

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
            let tracked = try TrackedCapture.stream(capture.source(), onFrame: { frame in
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
                Output.json(UnreadText.adding(to: document, tracked.loaded))
            } else {
                WhyRendering.text(report).forEach(Output.line)
                if cut {
                    Output.line("")
                    Output.line("The capture cannot show everything:")
                    SnapLengthText.lines(cuts, snapLength: snap, only: phone).forEach { Output.line("  " + $0) }
                }
            }
            UnreadNotes.write(tracked.loaded)
        }
        if broken { throw ExitStatus.problemsFound }
    }
}
