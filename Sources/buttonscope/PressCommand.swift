import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import NIOPosix
import Sender
import Pipeline
import Rendering

/// `buttonscope press`: mod_snom's `snom_command`, pressing keys through the phone's web server.
struct PressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "press",
        abstract: "Press keys on a Snom phone through its web server (/command.htm?key=…), or run an action.",
        discussion: """
        KEYS is Snom's key sequence: KEY[,HOLD_MS[,PAUSE_MS]] joined by `;`, e.g. 'enter,50,5000;cancel,50,1000' presses ENTER for 50 ms, waits 5 s, presses CANCEL for 50 ms. It is checked before anything is sent and percent-encoded (# * ; , and the rest).

        PHONE is the phone's address or name, or, as mod_snom's snom_command takes it, a SIP user: */USER, */USER@DOMAIN or PROFILE/USER@DOMAIN. A user is resolved to the source address of its latest REGISTER in the capture --registrations names (or the profile's `registrations = "…"` in the profiles file, see bind-key), live at the capture's end; several live addresses, or none live, are said with the candidates (exit 2). Which address was chosen is said on stderr.

        The phone asks for Basic or Digest authentication with a 401; the answer is computed from --user and a password read from an environment variable or a file, never from the command line. Success is HTTP 200; any other status is an error (exit 1).

        Examples:
          PHONE_PASS=secret buttonscope press 192.0.2.10 'enter,50,5000;cancel,50,1000' --password-env PHONE_PASS
          buttonscope press 192.0.2.10 --action dialeddel --password-file ~/.snom-pass
          buttonscope press '*/2000' enter --registrations field.pcap
          buttonscope press 'internal/2000@pbx.example.com' 'enter,50,5000;cancel,50,1000' --registrations field.pcap
        """
    )

    @Argument(help: ArgumentHelp("The phone's address or name (its web server), or */USER, */USER@DOMAIN, PROFILE/USER@DOMAIN.", valueName: "phone"))
    var host: String

    @Argument(help: "The key sequence: KEY[,HOLD_MS[,PAUSE_MS]] joined by `;`.")
    var keys: String?

    @Option(help: "Web interface user.")
    var user = "admin"

    @Option(name: .customLong("password-env"), help: ArgumentHelp("Read the password from this environment variable.", valueName: "VAR"))
    var passwordEnv: String?

    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the password from this file (its first line).", valueName: "file"))
    var passwordFile: String?

    @Option(help: "The web server's port.")
    var port = 80

    @Option(help: ArgumentHelp("Instead of keys: \(PhoneAction.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "action"))
    var action: String?

    @Option(help: ArgumentHelp("The capture whose REGISTERs tell where */USER is registered.", valueName: "capture"))
    var registrations: String?

    @Option(help: ArgumentHelp("The profiles file, for PROFILE/USER@DOMAIN (default: the per-user place).", valueName: "file"))
    var config: String?

    @Flag(help: "Print one JSON object (fields: host port target status reason auth ok error, and user registered_frame for */USER).")
    var json = false

    func run() throws {
        var failure: KeyPressError?
        var printed: JSONValue?
        var host = self.host
        var resolved: PressTarget?
        try runReporting {
            var target = try PressTarget.parse(host)
            if target.isUser {
                var capture = registrations
                if let name = target.profile, name != "*" {
                    let (profile, note) = try ProfileConfig.profile(name, config: config)
                    if let note { Output.error("buttonscope: \(TerminalText.safe(note))") }
                    capture = capture ?? profile?.registrations
                }
                guard let capture else {
                    throw UnusableInput("\(TerminalText.safe(host)) names a SIP user: give --registrations CAPTURE (a capture holding its REGISTER)")
                }
                _ = try makeRequest()
                try target.resolve(capture: capture)
                if let note = target.note { Output.error("buttonscope: \(TerminalText.safe(note))") }
                host = target.host
                resolved = target
            }
            guard !host.isEmpty, !host.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f || "/?#@".unicodeScalars.contains($0) }) else {
                throw UnusableInput("\(TerminalText.safe(host)): give the phone's address or name only (no scheme, path or spaces); the port goes in --port")
            }
            let request = try makeRequest()
            guard (1...65535).contains(port) else { throw UnusableInput("--port \(port) is not a port number (1-65535)") }
            let credentials = try password().map { HTTPCredentials(user: user, password: $0) }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            defer { try? group.syncShutdownGracefully() }
            do {
                let result = try KeyPress(host: host, port: port, credentials: credentials).run(request, on: group)
                if json {
                    printed = object(host: host, resolved: resolved, target: result.target, status: result.status, reason: result.reason, auth: result.authScheme, error: nil)
                } else {
                    Output.line("\(TerminalText.safe(host)): HTTP \(result.status) \(TerminalText.safe(result.reason)) for \(TerminalText.safe(result.target))"
                                + (result.authScheme.map { " (\($0) auth)" } ?? ""))
                }
            } catch let e as KeyPressError {
                failure = e
                if json {
                    var status: Int?, reason: String?
                    if case .status(let c, let r, _) = e { status = c; reason = r }
                    printed = object(host: host, resolved: resolved, target: request.target, status: status, reason: reason, auth: nil, error: OptionHint.text(e))
                }
            }
            if let printed { Output.json(printed) }
        }
        if let failure {
            Output.flush()
            Output.error("buttonscope: \(TerminalText.safe(OptionHint.text(failure)))")
            throw ExitStatus.problemsFound
        }
    }

    private func object(host: String, resolved: PressTarget?, target: String, status: Int?, reason: String?, auth: String?, error: String?) -> JSONValue {
        var fields: [(String, JSONValue)] = [("host", .string(host)), ("port", .int(port)), ("target", .string(target)), ("status", .optional(status)),
                                             ("reason", .optional(reason)), ("auth", .optional(auth)), ("ok", .bool(error == nil)), ("error", .optional(error))]
        if let resolved {
            fields.append(("user", .optional(resolved.user)))
            fields.append(("registered_frame", .optional(resolved.registeredFrame)))
        }
        return .object(fields)
    }

    private func makeRequest() throws -> KeyPressRequest {
        switch (keys, action) {
        case (nil, nil): throw UnusableInput("give a key sequence (e.g. 'enter,50,5000;cancel') or --action")
        case (.some, .some): throw UnusableInput("give a key sequence or --action, not both")
        case (nil, let name?):
            guard let a = PhoneAction(rawValue: name.lowercased()) else {
                throw UnusableInput("--action \(name) is not one of \(PhoneAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .action(a)
        case (let text?, nil):
            do {
                return .keys(try KeyPressSequence(text))
            } catch let e as KeyPressSequenceError {
                throw UnusableInput("key sequence \(TerminalText.safe(text)): \(TerminalText.safe(e.description))")
            }
        }
    }

    /// The password from the environment or a file; nil when neither is given (a phone without one).
    private func password() throws -> String? {
        if passwordEnv != nil && passwordFile != nil { throw UnusableInput("give --password-env or --password-file, not both") }
        if let name = passwordEnv {
            guard let value = getenv(name) else { throw UnusableInput("--password-env \(name): the environment variable is not set") }
            return String(cString: value)
        }
        if let path = passwordFile {
            guard let file = fopen(path, "r") else {
                throw UnusableInput("--password-file \(path): cannot read it (\(String(cString: strerror(errno))))")
            }
            defer { fclose(file) }
            var bytes: [UInt8] = []
            while bytes.count < 4096 {
                let c = fgetc(file)
                if c == EOF || c == 0x0a { break }
                bytes.append(UInt8(truncatingIfNeeded: c))
            }
            if bytes.last == 0x0d { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        return nil
    }
}
