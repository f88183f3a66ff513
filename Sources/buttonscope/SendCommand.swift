import ArgumentParser
import Buttons
import Foundation
import SIP
import Sender
import Pipeline
import Rendering
import TLSKeys

/// `buttonscope send`: one x-buttons document from entries, sent as a MESSAGE.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send one x-buttons document, built from entries, to a phone.",
        discussion: """
        Entries are given as arguments, or on stdin one per line when there are none. An empty argument or line starts the next key's description. The document is checked as a phone would read it: an invalid one is refused (exit 2) unless --force. Lines end in CRLF.

        Examples:
          buttonscope send --to sip:44@192.0.2.10 'k=1' 'c=on' 'l=Night'
          printf 'k=1\\nc=on\\n\\nk=2\\nc=off\\n' | buttonscope send --to 'sip:44@192.0.2.10;transport=tcp'
        """
    )

    @Option(help: ArgumentHelp("The phone: sip:USER@HOST[:PORT][;transport=udp|tcp|tls] (port 5060, 5061 for TLS).", valueName: "uri"))
    var to: String

    @Argument(help: ArgumentHelp("Entries like k=1 c=on l=Night; '' starts the next description.", valueName: "entry"))
    var entries: [String] = []

    @Option(help: ArgumentHelp("From user written in From (default buttonscope).", valueName: "user"))
    var fromUser: String?

    @Flag(help: "Send even when the document has errors.")
    var force = false

    @Flag(help: "Print the exact bytes instead of sending.")
    var dryRun = false

    @Flag(help: "Print NDJSON: one object for the exchange (record exchange), then a summary.")
    var json = false

    @OptionGroup var sender: SenderOptions

    @OptionGroup var keyLog: TLSKeyLogOutput

    func run() throws {
        var ok = true
        try runReporting {
            let target = try SenderOptions.target(to)
            let lines = entries.isEmpty ? SendCommand.readStdin() : entries
            guard lines.contains(where: { !$0.isEmpty }) else { throw UnusableInput("no entries: give them as arguments (k=1 c=on) or on stdin") }
            let composition = ButtonsDocument.compose(entries: lines)
            for finding in composition.findings {
                Output.error("\(finding.severity.rawValue) \(finding.code): \(TerminalText.safe(finding.message))")
            }
            if !composition.isValid && !force {
                throw UnusableInput("the document would be misread by a phone (see above); fix the entries or use --force")
            }
            let from = fromUser.map { "<sip:\($0)@\(target.hostForURI)>" }
            let request = OutgoingRequest.message(body: composition.body, from: from)
            let step = ExchangeStep(label: "MESSAGE \(composition.document.keys.map { "k=\($0)" }.joined(separator: " "))",
                                    frame: nil, request: request, offset: 0)
            if dryRun {
                try DryRun.print([step], target: target, options: sender, json: json)
                return
            }
            ok = try ExchangeRun.run([step], target: target, options: sender, keyLog: keyLog.keyLog, concurrent: false, json: json)
        }
        if !ok { throw ExitStatus.problemsFound }
    }

    /// One entry a line; an empty line separates descriptions. CR before LF is dropped.
    static func readStdin() -> [String] {
        var lines: [String] = []
        while let line = readLine(strippingNewline: true) {
            lines.append(line.hasSuffix("\r") ? String(line.dropLast()) : line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}
