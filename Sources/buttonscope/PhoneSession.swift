import Analysis
import Base
import Buttons
import Capture
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Phone
import Sender
import SIP
import Pipeline
import Rendering

/// The running `phone` command: the emulator, its output (panel, plain lines or NDJSON), stdin
/// commands and signals. Every print goes through one serial queue, so lines never interleave.
///
/// `@unchecked Sendable`: `phone` and `sender` are set in `init` and only read after; `recent`,
/// `throttle` and all printing are touched only on the serial `output` queue; `signalSources` is
/// touched only by the thread that runs `runUntilStopped`.
final class PhoneSession: @unchecked Sendable {
    let user: String
    let json: Bool
    /// Which key changes print (`--key`, `--from`, `--until`).
    let selection: MessageSelection
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
    /// When the live panel is drawn: at most ten times a second, the last change always shown.
    private var throttle = RedrawThrottle(interval: 0.1)
    private var signalSources: [DispatchSourceSignal] = []

    init(user: String, json: Bool, selection: MessageSelection = MessageSelection(), numberedKeys: Int, registrar: SIPTarget?, pressTarget: SIPTarget?,
         configuration: EmulatedPhone.Configuration) {
        self.user = user
        self.json = json
        self.selection = selection
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
            sender = phone.makeSender(SenderConfiguration(tls: TLSOptions(keyLog: configuration.keyLog)))
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
                    self.output.async { self.note("REGISTER to \(registrar) failed: \(TerminalText.safe(OptionHint.text(error)))") }
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
        if let sender {
            // Calls still up end first (CANCEL or BYE), then the sender, then the sockets.
            let done = DispatchSemaphore(value: 0)
            let phone = self.phone!
            Task {
                for (key, ending) in await phone.hangUpAll() { self.output.sync { self.noteEnding(key, ending) } }
                try? await sender.shutdown()
                done.signal()
            }
            _ = done.wait(timeout: .now() + 5)
        }
        phone.stop()
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
            case "press" where words.count == 3 && words[2] == "--hangup", "hangup" where words.count == 2:
                hangUp(words[1])
            case "hangup" where words.count == 1:
                hangUp(nil)
            default:
                output.async { self.note("commands: press N, hangup [N] (or press N --hangup), state, quit") }
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
        let name = TerminalText.safe(key)
        Task {
            do {
                let outcome = try await phone.press(key, via: sender, to: target) { provisional in
                    self.output.async {
                        self.note("press \(name): INVITE → \(target): \(provisional.statusCode ?? 0) \(TerminalText.safe(provisional.reasonPhrase ?? ""))")
                    }
                }
                switch outcome {
                case .message(let r):
                    self.output.async {
                        self.note("press \(name) → \(target): MESSAGE \(r.statusCode) \(TerminalText.safe(r.reasonPhrase)) in \(Int(r.latency * 1000)) ms")
                    }
                case .nothing(let why):
                    self.output.async { self.note("press \(name): \(TerminalText.safe(why))") }
                case .hungUp(let ending):
                    self.output.async { self.noteEnding(key, .success(ending)) }
                case .calling(let call):
                    self.output.async { self.note("press \(name): INVITE \(TerminalText.safe(call.invite.requestURI ?? "")) → \(target)") }
                    let r = try await call.answer()
                    self.output.async {
                        self.note("press \(name): INVITE \(r.statusCode) \(TerminalText.safe(r.reasonPhrase))"
                                  + (r.isSuccess ? ", ACK sent; press \(name) again (or hangup) to send BYE" : ", ACK sent: the call failed"))
                    }
                }
            } catch {
                self.output.async { self.note("press \(name) → \(target) failed: \(TerminalText.safe(OptionHint.text(error)))") }
            }
        }
    }

    /// `hangup [N]` / `press N --hangup`: CANCEL or BYE for the key's call, or every call.
    private func hangUp(_ key: String?) {
        let phone = self.phone!
        Task {
            if let key {
                guard let target = self.pressTarget, let sender = self.sender else { return }
                // A second press of a key with a call up is its hang-up; without a call, say so.
                guard phone.hasCall(on: key) else {
                    self.output.async { self.note("hangup \(TerminalText.safe(key)): no call on that key") }
                    return
                }
                do {
                    if case .hungUp(let ending) = try await phone.press(key, via: sender, to: target) {
                        self.output.async { self.noteEnding(key, .success(ending)) }
                    }
                } catch {
                    self.output.async { self.noteEnding(key, .failure(error)) }
                }
            } else {
                let endings = await phone.hangUpAll()
                if endings.isEmpty { self.output.async { self.note("hangup: no call is up") } }
                for (key, ending) in endings { self.output.async { self.noteEnding(key, ending) } }
            }
        }
    }

    private func noteEnding(_ key: String, _ ending: Result<OutgoingCall.Ending, Error>) {
        let name = TerminalText.safe(key)
        switch ending {
        case .success(.cancelled(let cancel, let invite)):
            note("hangup \(name): CANCEL \(cancel.statusCode) \(TerminalText.safe(cancel.reasonPhrase))"
                 + (invite.map { ", INVITE \($0.statusCode) \(TerminalText.safe($0.reasonPhrase)), ACK sent" } ?? ""))
        case .success(.bye(let r)):
            note("hangup \(name): BYE \(r.statusCode) \(TerminalText.safe(r.reasonPhrase))")
        case .success(.alreadyEnded(let why)):
            note("hangup \(name): \(TerminalText.safe(why))")
        case .failure(let error):
            note("hangup \(name) failed: \(TerminalText.safe(OptionHint.text(error)))")
        }
    }

    // MARK: - Output (on the output queue)

    private func show(_ event: PhoneEvent) {
        switch event {
        case .keyChanged(let change, let from, let time):
            guard selection.key == nil || change.key == selection.key, selection.matchesTime(time) else { return }
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
            scheduleRedraw()
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

    /// Changes that come in a burst (a document of 200 keys, a flood of datagrams) draw the panel
    /// at most once per tenth of a second, not once per change (`RedrawThrottle`). Runs on
    /// `output`, like everything printed.
    private func scheduleRedraw() {
        switch throttle.request(at: Self.uptime()) {
        case .drawNow:
            redraw()
        case .drawAt(let time):
            output.asyncAfter(deadline: .now() + max(0, time - Self.uptime())) { [weak self] in self?.redraw() }
        case .alreadyScheduled:
            break
        }
    }

    private func redraw() {
        throttle.drew(at: Self.uptime())
        Output.raw(screen())
        Output.flush()
    }

    /// The whole live screen as text: cursor home and clear (`PhoneSession.clearScreen`, one per
    /// draw), the panel, the last log lines, the commands.
    func screen() -> String {
        var screen = Self.clearScreen
        screen += "Emulated Snom \(TerminalText.safe(user)) on \(phone.boundAddresses.map(\.description).joined(separator: ", "))\n\n"
        for row in panelRows(phone.panel) { screen += row + "\n" }
        screen += "\n"
        for line in recent { screen += line + "\n" }
        screen += "\ncommands: press N · hangup [N] · state · quit        (Ctrl-C stops)\n"
        return screen
    }

    static let clearScreen = "\u{1b}[H\u{1b}[2J"

    static func uptime() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

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
