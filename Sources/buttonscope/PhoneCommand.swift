import ArgumentParser
import Buttons
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Phone
import Sender
import Pipeline
import Rendering
import TLSKeys

/// `buttonscope phone`: an emulated Snom on the desk, to replay against and to watch.
struct PhoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phone",
        abstract: "Run an emulated Snom phone: answers MESSAGE like a phone and shows its key panel live.",
        discussion: """
        The phone answers MESSAGE 200 when the Request-URI user is --user and 404 otherwise, applies application/x-buttons documents with the spec's semantics (a description replaces the key's whole state), answers OPTIONS 200 and other methods 405/501.

        Commands on stdin: `press N` presses key N as a Snom does, sending to the registrar or --press-to: a key with a=invite (the default) sends an INVITE to its number n= in the registrar's domain (ACK for the answer; pressing it again, or `hangup N`, sends CANCEL while it rings and BYE once answered); a key with a=message (or seize, release…) sends the press MESSAGE (k=N, a=its action, t=<the instance URN>, Proxy-Require: buttons, To the number); a key without n= does nothing ("If the Number is not available, the device will not perform any action."). `hangup` ends every call; `state` prints the panel; `quit` stops (ending calls first). It also stops on Ctrl-C (SIGINT) or SIGTERM.

        Requests leave from the UDP listening socket (so Via and Contact name the port the phone listens on); the Contact carries line= and +sip.instance, the REGISTER Supported: buttons. Over TCP and TLS (--register sip:HOST:PORT;transport=tcp) the phone connects from a port of the system's choosing, names its tcp:/tls: listening port in Via and Contact (;transport=tcp/tls), and keeps the connection: a registrar that reuses it sends its documents back on it, and the phone answers them there as on the listening socket.

        The live panel on a terminal is redrawn at most ten times a second, whatever the rate of changes.

        Examples:
          buttonscope phone --listen udp:127.0.0.1:5062 --user 44
          buttonscope phone --listen udp:127.0.0.1:5062 --user 44 --register sip:127.0.0.1:5060 --instance urn:uuid:b255d09d-7a6e-4ad3-9ffb-eeacc9f87d52
          buttonscope phone --listen udp:127.0.0.1:5062 --listen tls:127.0.0.1:5063 --tls-cert c.pem --tls-key k.pem --user 44 --json
          buttonscope phone --listen udp:127.0.0.1:5062 --user 44 --key 3 --json   # print only key 3's changes
        """
    )

    @Option(name: .customLong("listen"), help: ArgumentHelp("Where to listen: udp|tcp|tls:HOST:PORT (repeatable).", valueName: "address"))
    var listen: [String] = []

    @Option(help: "The phone's SIP user (its identity): a MESSAGE to any other user gets 404.")
    var user: String

    @Option(name: [.customLong("tls-cert"), .customLong("cert")], help: ArgumentHelp("Certificate (PEM) for tls: listeners (--cert is the old spelling).", valueName: "file"))
    var cert: String?

    /// Not `--key`: that is the selection's key, as in every other command.
    @Option(name: .customLong("tls-key"), help: ArgumentHelp("Private key (PEM) for tls: listeners.", valueName: "file"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("REGISTER to this registrar (with Supported: buttons), e.g. sip:127.0.0.1:5060.", valueName: "uri"))
    var register: String?

    @Option(name: .customLong("press-to"), help: ArgumentHelp("Send key presses here instead of the registrar.", valueName: "uri"))
    var pressTo: String?

    @Option(help: ArgumentHelp("The device's instance URN, the same in every press's t=<…> and the REGISTER's +sip.instance (random per run by default).", valueName: "urn:uuid:…"))
    var instance: String?

    @Option(help: ArgumentHelp("The Contact's line= token (random by default), like a Snom's line=44qsudyt.", valueName: "token"))
    var line: String?

    @Option(help: "How many numbered keys the panel shows.")
    var keys = 12

    @Flag(help: "Print each key change as NDJSON (fields: time user key state from changed).")
    var json = false

    @OptionGroup var keyLog: TLSKeyLogOutput

    /// Which key changes print: --key, --from/--until (today, UTC). The phone keeps every change
    /// all the same; the panel shows them all.
    @OptionGroup(title: "Selection") var select: SelectionOptions

    func run() throws {
        var session: PhoneSession?
        try runReporting {
            guard !user.isEmpty, !user.contains(where: { $0 == "@" || $0 == ":" || $0.isWhitespace }) else {
                throw UnusableInput("--user \(TerminalText.safe(user)): a SIP user name, like 44")
            }
            try select.check()
            try select.refuse(["--frames", "--phone", "--call-id"],
                              because: "the emulated phone prints key changes, which have no frame, phone or Call-ID to select; use --key, --from or --until")
            if let key = select.key, key.contains("/") || key.hasSuffix(".pem") || key.hasSuffix(".key") {
                throw UnusableInput("--key \(TerminalText.safe(key)): --key is the key whose changes print (e.g. 3); give the TLS private key with --tls-key")
            }
            guard (0...200).contains(keys) else { throw UnusableInput("--keys \(keys): give 0 to 200") }
            if let instance, !PhoneOutboundRequests.isInstanceURN(instance) {
                throw UnusableInput("--instance \(TerminalText.safe(instance)): give urn:uuid: and a UUID, e.g. urn:uuid:b255d09d-7a6e-4ad3-9ffb-eeacc9f87d52")
            }
            if let line, line.isEmpty || !line.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) {
                throw UnusableInput("--line \(TerminalText.safe(line)): letters, digits, - _ . only")
            }
            let addresses = try (listen.isEmpty ? ["udp:127.0.0.1:5062"] : listen).map { text in
                do { return try PhoneListenAddress(parsing: text) } catch { throw UnusableInput(OptionHint.text(error)) }
            }
            if addresses.contains(where: { $0.transport == .tls }), cert == nil || tlsKey == nil {
                throw UnusableInput("a tls: listener needs --tls-cert and --tls-key (PEM files)")
            }
            let registrar = try register.map { try Self.target($0, option: "--register") }
            let pressTarget = try pressTo.map { try Self.target($0, option: "--press-to") } ?? registrar
            let usesTLS = addresses.contains { $0.transport == .tls } || [registrar, pressTarget].contains { $0?.transport == .tls }
            let keyLogSink = try usesTLS ? TLSKeyLogOutput.sink(path: keyLog.keyLog, memoryForRecording: false) : nil
            session = PhoneSession(user: user, json: json, selection: select.selection(reference: .now()), numberedKeys: keys, registrar: registrar, pressTarget: pressTarget,
                                   configuration: EmulatedPhone.Configuration(user: user, listen: addresses,
                                                                              certificatePath: cert, privateKeyPath: tlsKey,
                                                                              instance: instance?.lowercased(), line: line, keyLog: keyLogSink))
            do {
                try session?.start()
            } catch {
                throw UnusableInput(OptionHint.text(error))
            }
        }
        session?.runUntilStopped()
    }

    static func target(_ text: String, option: String) throws -> SIPTarget {
        switch SIPTarget.parse(text) {
        case .success(let t): return t
        case .failure(let e): throw UnusableInput("\(option) \(e)")
        }
    }
}
