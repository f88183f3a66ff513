import Foundation
import SIP
import Sender
import Pipeline
import Rendering
import TLSKeys

/// One request to send, with its place in the run.
struct ExchangeStep: Sendable {
    var label: String
    var frame: Int?
    var request: OutgoingRequest
    /// Seconds after the run's start to send it (0 for back to back).
    var offset: Double
}

/// What happened to one step.
struct StepOutcome: Sendable {
    var step: Int
    var label: String
    var frame: Int?
    var sentAt: Double
    var result: TransactionResult?
    var error: SenderError?
    /// Not sent, because the connection had already failed for an earlier step.
    var skipped: Bool = false

    /// No answer, a transport error, or a final status ≥ 300.
    var failed: Bool { skipped || error != nil || (result.map { $0.statusCode >= 300 } ?? true) }
}

/// Sends steps through one `SIPSender`, prints each answer and latency, then a summary; writes
/// `--record`. Returns whether every exchange succeeded.
enum ExchangeRun {
    /// `concurrent`: each step starts at its offset without waiting for earlier answers (paced
    /// replay); otherwise each waits for the previous answer (back to back).
    /// `keyLog`: the `--tls-keylog` file the session keys are appended to (SSLKEYLOGFILE when nil).
    static func run(_ steps: [ExchangeStep], target: SIPTarget, options: SenderOptions, keyLog: String?, concurrent: Bool, json: Bool) throws -> Bool {
        var configuration = try options.configuration()
        configuration.recordsTLSWire = options.record != nil
        if target.transport == .tls {
            configuration.tls.keyLog = try TLSKeyLogOutput.sink(path: keyLog, memoryForRecording: options.record != nil)
        }
        do {
            _ = try SIPSender.resolve(target)
        } catch let e as SenderError {
            throw UnusableInput("--to \(e.description)")
        }
        let sender = SIPSender(configuration)
        let outcomes: [StepOutcome] = try AsyncBridge.run {
            let start = Date().timeIntervalSince1970
            var outcomes: [StepOutcome] = []
            if concurrent {
                outcomes = await withTaskGroup(of: StepOutcome.self) { group in
                    for (i, step) in steps.enumerated() {
                        group.addTask {
                            let wait = start + step.offset - Date().timeIntervalSince1970
                            if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
                            let outcome = await send(step, index: i + 1, sender: sender, target: target)
                            report(outcome, json: json)
                            return outcome
                        }
                    }
                    var all: [StepOutcome] = []
                    for await o in group { all.append(o) }
                    return all.sorted { $0.step < $1.step }
                }
            } else {
                var fatal: SenderError?
                for (i, step) in steps.enumerated() {
                    var outcome: StepOutcome
                    if let fatal {
                        outcome = StepOutcome(step: i + 1, label: step.label, frame: step.frame, sentAt: 0, error: fatal, skipped: true)
                    } else {
                        outcome = await send(step, index: i + 1, sender: sender, target: target)
                        report(outcome, json: json)
                        if let e = outcome.error, e.endsTheRun { fatal = e }
                    }
                    outcomes.append(outcome)
                }
            }
            try? await sender.shutdown()
            return outcomes
        }
        if let path = options.record {
            do {
                try PcapRecording.write(sender.log.all, wire: sender.log.wire, keyLog: configuration.tls.keyLog, to: path)
            } catch {
                Output.error("buttonscope: \(OptionHint.text(error))")
            }
        }
        summarize(outcomes, json: json, recorded: options.record)
        return !outcomes.contains { $0.failed }
    }

    private static func send(_ step: ExchangeStep, index: Int, sender: SIPSender, target: SIPTarget) async -> StepOutcome {
        let sentAt = Date().timeIntervalSince1970
        do {
            let result = try await sender.send(step.request, to: target)
            return StepOutcome(step: index, label: step.label, frame: step.frame, sentAt: sentAt, result: result)
        } catch let e as SenderError {
            return StepOutcome(step: index, label: step.label, frame: step.frame, sentAt: sentAt, error: e)
        } catch {
            return StepOutcome(step: index, label: step.label, frame: step.frame, sentAt: sentAt,
                                   error: .transport(address: target.description, reason: "\(error)"))
        }
    }

    static func report(_ o: StepOutcome, json: Bool) {
        if json {
            Output.json(.object([
                ("record", "exchange"), ("step", .int(o.step)), ("frame", .optional(o.frame)), ("label", .string(o.label)),
                ("method", .optional(o.result?.request.method)), ("request_uri", .optional(o.result?.request.requestURI)),
                ("call_id", .optional(o.result?.request.callID)), ("time", .double(o.sentAt)),
                ("status", .optional(o.result?.statusCode)), ("reason", .optional(o.result?.reasonPhrase)),
                ("latency", .optional(o.result?.latency)), ("transmissions", .optional(o.result?.transmissions)),
                ("local", .optional(o.result?.local)), ("remote", .optional(o.result?.remote)),
                ("ok", .bool(!o.failed)), ("error", .optional(o.error.map(OptionHint.text))),
            ]))
        } else {
            let head = "#\(o.step) \(TerminalText.safe(o.label))"
            if let r = o.result {
                let ms = String(format: "%.1f ms", r.latency * 1000)
                let retx = r.transmissions > 1 ? " after \(r.transmissions) transmissions" : ""
                Output.line("\(head): \(r.statusCode) \(TerminalText.safe(r.reasonPhrase)) in \(ms)\(retx)")
            } else if let e = o.error {
                Output.line("\(head): FAILED: \(TerminalText.safe(OptionHint.text(e)))")
            }
        }
        Output.flush()
    }

    static func summarize(_ outcomes: [StepOutcome], json: Bool, recorded: String?) {
        let sent = outcomes.filter { !$0.skipped }.count
        let ok = outcomes.filter { !$0.failed }.count
        let answered = outcomes.filter { $0.result != nil }.count
        let failed = outcomes.filter(\.failed).count
        let skipped = outcomes.filter(\.skipped).count
        let latencies = outcomes.compactMap { $0.result?.latency }
        if json {
            Output.json(.object([
                ("record", "summary"), ("requests", .int(outcomes.count)), ("sent", .int(sent)), ("answered", .int(answered)),
                ("succeeded", .int(ok)), ("failed", .int(failed)), ("not_sent", .int(skipped)),
                ("max_latency", .optional(latencies.max())), ("recording", .optional(recorded)),
            ]))
        } else {
            var line = "\(sent) sent, \(answered) answered, \(ok) succeeded (2xx), \(failed) failed"
            if skipped > 0 { line += " (\(skipped) not sent after the connection failed)" }
            if let max = latencies.max() { line += String(format: "; slowest answer %.1f ms", max * 1000) }
            Output.line(line)
            if let recorded { Output.line("recorded to \(recorded)") }
        }
        Output.flush()
    }
}

extension SenderError {
    /// Errors after which sending the rest is pointless: the target cannot be reached at all.
    var endsTheRun: Bool {
        switch self {
        case .connectionRefused, .portUnreachable, .nameNotResolved, .tlsHandshakeFailed, .tlsSetup, .bindFailed,
             .connectTimeout, .invalidTarget:
            return true
        default:
            return false
        }
    }
}
