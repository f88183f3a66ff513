import ArgumentParser
import Buttons
import SIP
import Sender

/// `buttonscope bind-key`: FreeSWITCH mod_snom's `snom_bind_key`, argument order and body exactly.
struct BindKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind-key",
        abstract: "Set a key's lamp the way FreeSWITCH's snom_bind_key does (same arguments, same body).",
        discussion: """
        mod_snom's order without its profile: KEY LIGHT LABEL USER HOST [ACTION_NAME] [ACTION…]. The body is k=KEY c=LIGHT l=LABEL, then n=ACTION a=ACTION_NAME when both are given (a lone ACTION_NAME is dropped, as mod_snom does); the ACTION words are joined by spaces. Lines end in LF like mod_snom (--crlf for the spec's CRLF). Nothing checks the values. The MESSAGE goes to sip:USER@HOST (From = To = that address), or to --to.

        Examples:
          buttonscope bind-key 2 on DND 44 192.0.2.10
          buttonscope bind-key 2 on DND 44 192.0.2.10 message 'api+uuid_transfer abc 9001'
          buttonscope bind-key 3 off 'Office Hours' 44 pbx.lab --to 'sip:44@192.0.2.10:5062;transport=tcp'
        """
    )

    @Argument(help: "Key name or number (k=).") var key: String
    @Argument(help: "Light (c=): off on hold pickup park message offline error…") var light: String
    @Argument(help: "Label (l=); quote it when it has spaces.") var label: String
    @Argument(help: "The phone's SIP user.") var user: String
    @Argument(help: "Where the phone is (host[:port]); the MESSAGE goes there unless --to.") var host: String
    @Argument(help: ArgumentHelp("ACTION_NAME (a=) then ACTION words (n=).", valueName: "action")) var action: [String] = []

    @Option(help: ArgumentHelp("Send here instead of sip:USER@HOST (port, transport).", valueName: "uri"))
    var to: String?

    @Flag(help: "End lines with CRLF (the spec) instead of mod_snom's LF.")
    var crlf = false

    @Flag(help: "Print the exact bytes instead of sending.")
    var dryRun = false

    @Flag(help: "Print NDJSON: one object for the exchange, then a summary.")
    var json = false

    @OptionGroup var sender: SenderOptions

    @OptionGroup var keyLog: TLSKeyLogOutput

    /// The body exactly as mod_snom writes it (with CRLF when asked).
    var body: [UInt8] {
        let hasAction = action.count >= 2
        let modSnom = ModSnomBody(key: key, light: light, label: label,
                                  actionName: hasAction ? action[0] : nil,
                                  action: hasAction ? action.dropFirst().joined(separator: " ") : nil)
        guard crlf else { return modSnom.bytes }
        var out: [UInt8] = []
        for b in modSnom.bytes {
            if b == 0x0a { out.append(0x0d) }
            out.append(b)
        }
        return out
    }

    func run() throws {
        var ok = true
        try runReporting {
            let target = try SenderOptions.target(to ?? "sip:\(user)@\(host)")
            let hostPart = host.contains(":") && !host.hasPrefix("[") && host.filter({ $0 == ":" }).count == 1
                ? String(host.prefix { $0 != ":" }) : host
            let aor = "<sip:\(user)@\(hostPart)>"
            let request = OutgoingRequest(method: "MESSAGE", requestURI: nil, from: aor, to: aor,
                                          headers: [SIPHeader(name: "Content-Type", value: "application/x-buttons")], body: body)
            let step = ExchangeStep(label: "bind-key k=\(key) c=\(light)", frame: nil, request: request, offset: 0)
            if dryRun {
                try DryRun.print([step], target: target, options: sender, json: json)
                return
            }
            ok = try ExchangeRun.run([step], target: target, options: sender, keyLog: keyLog.keyLog, concurrent: false, json: json)
        }
        if !ok { throw ExitStatus.problemsFound }
    }
}
