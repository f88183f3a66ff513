#if canImport(Glibc)
import Glibc
#endif
import Sender
import Pipeline
import Rendering

/// `--dry-run`: the exact bytes each step would send, stamped as the sender stamps them. Only
/// the fresh identifiers and our local address/port are decided for real at send time
/// (`--local` fixes the latter).
enum DryRun {
    static let placeholderHost = "LOCAL-ADDRESS"
    static let placeholderPort = "LOCAL-PORT"
    static func print(_ steps: [ExchangeStep], target: SIPTarget, options: SenderOptions, json: Bool) throws {
        let (host, port) = try options.localEndpoint()
        let loopback = target.host == "127.0.0.1" || target.host == "::1" || target.host == "localhost"
        // What is only decided when sending is shown as a placeholder, never as a made-up
        // address or port 0.
        var local = RequestStamper.Local(host: host ?? (loopback ? (target.host == "::1" ? "::1" : "127.0.0.1") : placeholderHost),
                                         port: port ?? 0)
        if port == nil { local.portPlaceholder = placeholderPort }
        let placeholders = [host == nil && !loopback ? placeholderHost : nil, port == nil ? placeholderPort : nil].compactMap { $0 }
        if !placeholders.isEmpty {
            Output.error("note: \(placeholders.joined(separator: " and ")) in Via and Contact stand for what is chosen when sending; --local HOST:PORT fixes them")
        }
        var rng = SystemRandomNumberGenerator()
        for (i, step) in steps.enumerated() {
            let identity = TransactionIdentity.fresh(cseq: UInt32(i + 1), using: &rng)
            let stamped = RequestStamper.stamp(step.request, target: target, local: local, identity: identity)
            if json {
                Output.json(.object([("record", "dry-run"), ("step", .int(i + 1)), ("frame", .optional(step.frame)),
                                     ("label", .string(step.label)), ("offset", .double(step.offset)),
                                     ("to", .string(target.description)), ("length", .int(stamped.bytes.count)),
                                     ("bytes", .string(String(decoding: stamped.bytes, as: UTF8.self)))]))
            } else {
                Output.line("--- #\(i + 1) \(TerminalText.safe(step.label)): \(stamped.bytes.count) bytes to \(target)"
                            + (step.offset > 0 ? String(format: " at +%.3f s", step.offset) : "") + " ---")
                if Output.stdoutIsTerminal {
                    // On a terminal, the capture's escape sequences are shown, not obeyed.
                    Output.line(TerminalText.safeLines(stamped.bytes))
                } else {
                    Output.raw(stamped.bytes)
                    Output.line("")
                }
            }
        }
        Output.flush()
    }
}

extension Output {
    /// Bytes exactly as they are (CR and LF included, bytes that are not UTF-8 too): what
    /// `--dry-run` promises to a pipe or a file.
    static func raw(_ bytes: [UInt8]) {
        flush()
        bytes.withUnsafeBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = Glibc.write(1, p.baseAddress! + off, p.count - off)
                if n <= 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }
}
