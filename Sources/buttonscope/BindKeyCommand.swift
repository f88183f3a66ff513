import ArgumentParser
import Buttons
import SIP
import Sender
import Pipeline
import Rendering
import TLSKeys

/// `buttonscope bind-key`: FreeSWITCH mod_snom's `snom_bind_key`, argument order and body exactly.
struct BindKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bind-key",
        abstract: "Set a key's lamp the way FreeSWITCH's snom_bind_key does (same arguments, same body).",
        discussion: """
        mod_snom's order: KEY LIGHT LABEL USER HOST PROFILE [ACTION_NAME] [ACTION…]. Fewer than 6 arguments is an error. With 8 or more the body is k=KEY c=LIGHT l=LABEL n=ACTION a=ACTION_NAME, the 8th argument keeping the rest of the line (the words after the 7th are joined by one space: quote them to keep other spacing); with 6 or 7 it is k=KEY c=LIGHT l=LABEL and an empty line (a lone ACTION_NAME is dropped, as mod_snom does, and said on stderr). Lines end in LF like mod_snom (--crlf for the spec's CRLF). Nothing checks the values. The MESSAGE goes to sip:USER@HOST (From = To = that address), or to --to.

        --line takes a dialplan's snom_bind_key data as one string and splits it as mod_snom does (single quotes group a label; the 8th argument is the rest of the line as written).

        PROFILE names a sender setup in the profiles file ($XDG_CONFIG_HOME/buttonscope/profiles.toml, else ~/.config/buttonscope/profiles.toml, or --config FILE): local, transport, port, ca_file, insecure, server_name. A profile the file does not define (FreeSWITCH's usual `internal`), or no file, means the defaults, said in one line on stderr, so dialplan lines work unchanged. Options given here win over the profile.

          [profiles.lab]
          local = "127.0.0.1:5070"
          transport = "tcp"
          port = 5062

        Examples:
          buttonscope bind-key 2 on DND 44 192.0.2.10 internal
          buttonscope bind-key 2 on DND 44 192.0.2.10:5062 internal message api+uuid_transfer abc 9001
          buttonscope bind-key --line "2 off DND 44 192.0.2.10 internal message notused"
          buttonscope bind-key 3 off 'Office Hours' 44 pbx.lab lab --to 'sip:44@192.0.2.10:5062;transport=tcp'
        """
    )

    @Argument(help: ArgumentHelp("KEY LIGHT LABEL USER HOST PROFILE [ACTION_NAME] [ACTION…], snom_bind_key's order.", valueName: "argument"))
    var arguments: [String] = []

    @Option(help: ArgumentHelp("The arguments as one dialplan string, split as mod_snom splits it.", valueName: "text"))
    var line: String?

    @Option(help: ArgumentHelp("The profiles file (default: the per-user place).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Send here instead of sip:USER@HOST (port, transport).", valueName: "uri"))
    var to: String?

    @Flag(help: "End lines with CRLF (the spec) instead of mod_snom's LF.")
    var crlf = false

    @Flag(help: "Print the exact bytes instead of sending.")
    var dryRun = false

    @Flag(help: "Print NDJSON: one object for the exchange, then a summary.")
    var json = false

    @OptionGroup var sender: SenderOptions

    /// The arguments as mod_snom reads them; unusable input with fewer than 6.
    func bindKeyArguments() throws -> SnomBindKeyArguments {
        if let line {
            guard arguments.isEmpty else { throw UnusableInput("give the arguments or --line, not both") }
            guard let parsed = SnomBindKeyArguments(line: line) else {
                throw UnusableInput("--line: snom_bind_key needs at least 6 arguments: KEY LIGHT LABEL USER HOST PROFILE [ACTION_NAME] [ACTION]")
            }
            return parsed
        }
        guard arguments.count >= 6 else {
            throw UnusableInput("bind-key needs at least 6 arguments, KEY LIGHT LABEL USER HOST PROFILE [ACTION_NAME] [ACTION…] (snom_bind_key's order); got \(arguments.count)")
        }
        let a = arguments
        let action = a.count >= 8 ? a[7...].joined(separator: " ") : nil
        return SnomBindKeyArguments(body: ModSnomBody(key: a[0], light: a[1], label: a[2], actionName: action == nil ? nil : a[6], action: action),
                                    user: a[3], host: a[4], profile: a[5])
    }

    @OptionGroup var keyLog: TLSKeyLogOutput

    /// The body exactly as mod_snom writes it (with CRLF when asked).
    func body(_ modSnom: ModSnomBody) -> [UInt8] {
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
            let args = try bindKeyArguments()
            if line.map({ Self.wordCount($0) == 7 }) ?? (arguments.count == 7) {
                Output.error("buttonscope: ACTION_NAME without ACTION: dropped, as snom_bind_key does (the body is k= c= l= only)")
            }
            let (profile, note) = try ProfileConfig.profile(args.profile, config: config)
            if let note { Output.error("buttonscope: \(TerminalText.safe(note))") }
            let options = profile?.applied(to: sender) ?? sender
            let host = args.host
            let hasPort = host.hasPrefix("[") ? host.contains("]:") : host.filter({ $0 == ":" }).count == 1
            var uri = "sip:\(args.user)@\(host)"
            if !hasPort, let port = profile?.port { uri += ":\(port)" }
            if let transport = profile?.transport, transport != .udp { uri += ";transport=\(transport.rawValue)" }
            let target = try SenderOptions.target(to ?? uri)
            let hostPart = hasPort && !host.hasPrefix("[") ? String(host.prefix { $0 != ":" }) : host
            let aor = "<sip:\(args.user)@\(hostPart)>"
            let request = OutgoingRequest(method: "MESSAGE", requestURI: nil, from: aor, to: aor,
                                          headers: [SIPHeader(name: "Content-Type", value: "application/x-buttons")], body: body(args.body))
            let step = ExchangeStep(label: "bind-key k=\(args.body.key) c=\(args.body.light)", frame: nil, request: request, offset: 0)
            if dryRun {
                try DryRun.print([step], target: target, options: options, json: json)
                return
            }
            ok = try ExchangeRun.run([step], target: target, options: options, keyLog: keyLog.keyLog, concurrent: false, json: json)
        }
        if !ok { throw ExitStatus.problemsFound }
    }

    /// Arguments in a dialplan string as mod_snom counts them (up to 8).
    static func wordCount(_ line: String) -> Int {
        var count = 0, inWord = false, inQuote = false
        for c in line {
            if c == "'" { inQuote.toggle(); if !inWord { inWord = true; count += 1 }; continue }
            if c == " " && !inQuote { inWord = false; continue }
            if !inWord { inWord = true; count += 1 }
        }
        return min(count, 8)
    }
}
