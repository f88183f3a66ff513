import Buttons
import Capture
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Phone
import Sender

/// The running `phone` command: the emulator, its output (panel, plain lines or NDJSON), stdin
/// commands and signals. Every print goes through one serial queue, so lines never interleave.
final class PhoneSession: @unchecked Sendable {
    let user: String
    let json: Bool
    let numberedKeys: Int
    let registrar: SIPTarget?
    let pressTarget: SIPTarget?
    let live: Bool
    private let output = DispatchQueue(label: "phone.output")
    private let stopped = DispatchSemaphore(value: 0)
    private let configuration: EmulatedPhone.Configuration
    private var phone: EmulatedPhone!
    private var sender: SIPSender?
    private var recent: [String] = []
    private var signalSources: [DispatchSourceSignal] = []

    init(user: String, json: Bool, numberedKeys: Int, registrar: SIPTarget?, pressTarget: SIPTarget?,
         configuration: EmulatedPhone.Configuration) {
        self.user = user
        self.json = json
        self.numberedKeys = numberedKeys
        self.registrar = registrar
        self.pressTarget = pressTarget
        self.live = !json && Output.stdoutIsTerminal
        self.configuration = configuration
    }

    func start() throws {
        phone = EmulatedPhone(configuration) { [weak self] event in
            guard let self else { return }
            self.output.async { self.show(event) }
        }
        try phone.start()
        if registrar != nil || pressTarget != nil {
            sender = SIPSender(SenderConfiguration(tls: TLSOptions(keyLog: configuration.keyLog)))
        }
        output.sync {
            note("listening on \(phone.boundAddresses.map(\.description).joined(separator: ", ")) as user \(TerminalText.safe(user))")
            if live { redraw() }
        }
        if let registrar, let sender {
            let phone = self.phone!
            Task {
                do {
                    let r = try await phone.register(via: sender, to: registrar)
                    let required = r.response.headerValues("require") + r.response.headerValues("required")
                    self.output.async {
                        self.note("REGISTER to \(registrar): \(r.statusCode) \(TerminalText.safe(r.reasonPhrase))"
                                  + (required.contains { $0.lowercased() == "buttons" } ? " (Require: buttons)" : ""))
                    }
                } catch {
                    self.output.async { self.note("REGISTER to \(registrar) failed: \(TerminalText.safe("\(error)"))") }
                }
            }
        }
    }

    /// Blocks until quit, SIGINT or SIGTERM; then stops everything.
    func runUntilStopped() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: output)
            source.setEventHandler { [stopped] in stopped.signal() }
            source.resume()
            signalSources.append(source)
        }
        DispatchQueue.global().async { [weak self] in self?.readCommands() }
        stopped.wait()
        phone.stop()
        if let sender {
            let done = DispatchSemaphore(value: 0)
            Task { try? await sender.shutdown(); done.signal() }
            _ = done.wait(timeout: .now() + 2)
        }
        output.sync {
            if live { Output.line("") }
            Output.flush()
        }
    }

    private func readCommands() {
        while let line = readLine() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let command = words.first?.lowercased() else { continue }
            switch command {
            case "quit", "exit":
                stopped.signal()
                return
            case "state":
                output.async { self.printState() }
            case "press" where words.count == 2:
                press(words[1])
            default:
                output.async { self.note("commands: press N, state, quit") }
            }
        }
        // stdin closed (a background job, or a test): keep answering until a signal.
    }

    private func press(_ key: String) {
        guard let target = pressTarget, let sender else {
            output.async { self.note("press \(TerminalText.safe(key)): no target; start with --register or --press-to") }
            return
        }
        let phone = self.phone!
        Task {
            do {
                let r = try await phone.press(key, via: sender, to: target)
                self.output.async {
                    self.note("press \(TerminalText.safe(key)) → \(target): \(r.statusCode) \(TerminalText.safe(r.reasonPhrase)) in \(Int(r.latency * 1000)) ms")
                }
            } catch {
                self.output.async { self.note("press \(TerminalText.safe(key)) → \(target) failed: \(TerminalText.safe("\(error)"))") }
            }
        }
    }

    // MARK: - Output (on the output queue)

    private func show(_ event: PhoneEvent) {
        switch event {
        case .keyChanged(let change, let from, let time):
            if json {
                Output.json(.object([("time", .double(time)), ("user", .string(user)), ("key", .string(change.key)),
                                     ("state", Self.stateObject(change.state)), ("from", .string(from)),
                                     ("changed", .array(change.changed.map(JSONValue.string)))]))
                Output.flush()
                return
            }
            note("key \(TerminalText.safe(change.key)) from \(from): " + Self.describe(change.state)
                 + (change.changed.isEmpty ? "" : " (changed: \(change.changed.joined(separator: ", ")))"))
        case .answered(let method, let status, let from, let transport, _):
            if !json { note("\(TerminalText.safe(method)) from \(from) over \(transport.rawValue.uppercased()) → \(status)") }
        case .documentFindings(let findings, let from, _):
            if !json { for f in findings.prefix(5) { note("  document from \(from): \(TerminalText.safe(f))") } }
        case .dropped(let reason, let from, _):
            if json { Output.error("buttonscope phone: dropped from \(from): \(TerminalText.safe(reason))") } else { note("dropped from \(from): \(TerminalText.safe(reason))") }
        }
    }

    /// A log line: printed as is, or kept under the live panel.
    private func note(_ text: String) {
        let line = ClockTime.format(Timestamp.now()) + " " + text
        if json {
            Output.error(line)
        } else if live {
            recent.append(line)
            if recent.count > 10 { recent.removeFirst(recent.count - 10) }
            redraw()
        } else {
            Output.line(line)
            Output.flush()
        }
    }

    private func printState() {
        let panel = phone.panel
        if json {
            var keys: [(String, JSONValue)] = []
            for k in panel.orderedKeys { if let s = panel.keys[k] { keys.append((k, Self.stateObject(s))) } }
            Output.json(.object([("time", .double(Timestamp.now().epochSeconds)), ("user", .string(user)), ("keys", .object(keys))]))
            Output.flush()
        } else if live {
            redraw()
        } else {
            for row in panelRows(panel) { Output.line(row) }
            Output.flush()
        }
    }

    private func redraw() {
        var screen = "\u{1b}[H\u{1b}[2J"
        screen += "Emulated Snom \(TerminalText.safe(user)) on \(phone.boundAddresses.map(\.description).joined(separator: ", "))\n\n"
        for row in panelRows(phone.panel) { screen += row + "\n" }
        screen += "\n"
        for line in recent { screen += line + "\n" }
        screen += "\ncommands: press N · state · quit        (Ctrl-C stops)\n"
        Output.buffer += screen
        Output.flush()
    }

    /// One row per key: the numbered ones (1…--keys) always, named or higher ones once set.
    func panelRows(_ panel: PhoneKeyPanel) -> [String] {
        var names = (0..<numberedKeys).map { String($0 + 1) }
        for k in panel.orderedKeys where !names.contains(k) { names.append(k) }
        names.sort(by: PhoneKeyPanel.panelOrder)
        return names.map { name in
            let state = panel.keys[name]
            let lamp = state.map { Self.lamp($0.light) } ?? "·"
            return "  " + TerminalText.column(TerminalText.safe(name), 4) + " " + lamp + " "
                + (state.map { Self.describe($0) } ?? "(not set)")
        }
    }

    static func lamp(_ light: String) -> String {
        switch light {
        case "off": return "○"
        case "on": return "●"
        case "offline", "error": return "✕"
        default: return "◐"
        }
    }

    static func describe(_ state: KeyState) -> String {
        state.fields.map { "\($0.name)=\(TerminalText.safe($0.value))" }.joined(separator: " ")
    }

    /// Every property, by meaning, null when absent (DESIGN.md's names).
    static func stateObject(_ s: KeyState) -> JSONValue {
        .object([("light", .string(s.light)), ("color", .optional(s.color)), ("action", .string(s.action)),
                 ("destination", .optional(s.destination)), ("label", .optional(s.label)), ("display_name", .optional(s.displayName)),
                 ("caller", .optional(s.caller)), ("direction", .optional(s.direction)), ("forward", .optional(s.forward)),
                 ("mwi", .optional(s.mwi)), ("release", .optional(s.release)), ("state", .optional(s.state)),
                 ("treatment", .optional(s.treatment)), ("type", .optional(s.type))])
    }
}
