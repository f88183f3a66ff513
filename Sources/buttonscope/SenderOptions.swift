import Base
import ArgumentParser
import Capture
import Sender
import Pipeline
import Rendering

/// The options every sending command shares: where to, from where, TLS trust, timers, evidence.
struct SenderOptions: ParsableArguments {
    @Option(name: .customLong("local"), help: ArgumentHelp("Send from this local address, optionally with a port (127.0.0.1:5070, [::1]:5070).", valueName: "addr[:port]"))
    var local: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("TLS: trust the phone's certificate if signed by a CA in this PEM file.", valueName: "pem"))
    var caFile: String?

    @Flag(help: "TLS: accept any certificate (lab phones with self-signed certificates).")
    var insecure = false

    @Option(name: [.customLong("tls-server-name"), .customLong("server-name")], help: ArgumentHelp("TLS: the name the certificate must hold (and SNI), for a phone reached by IP address whose certificate names it by host name. By default the --to host; for an IP address, the certificate must hold that IP address (as browsers check). --insecure is the only way to skip the check.", valueName: "name"))
    var serverName: String?

    @Option(name: .customLong("t1"), help: ArgumentHelp("RFC 3261 T1 in seconds: UDP retransmits at T1, 2·T1… up to 4 s; no answer after 64·T1 is a failure (default 0.5, so 32 s).", valueName: "seconds"))
    var t1: Double = 0.5

    @Option(help: ArgumentHelp("Write everything sent and received as a pcap (raw IP), readable by `buttonscope messages`.", valueName: "file"))
    var record: String?

    @Flag(help: "Print every message sent and received (times, start lines) on stderr as it happens.")
    var verbose = false

    func validate() throws {
        guard t1 > 0, t1 <= 60 else { throw ValidationError("--t1 must be between 0 and 60 seconds") }
    }

    /// The local address and port from `--local`.
    func localEndpoint() throws -> (host: String?, port: Int?) {
        guard let local else { return (nil, nil) }
        var host = local
        var port: Int?
        if local.hasPrefix("[") {
            guard let close = local.firstIndex(of: "]") else { throw UnusableInput("--local \(local): missing ]") }
            host = String(local[local.index(after: local.startIndex)..<close])
            let rest = local[local.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let p = Int(rest.dropFirst()), (0...65535).contains(p) else { throw UnusableInput("--local \(local): bad port") }
                port = p
            }
        } else if local.filter({ $0 == ":" }).count == 1, let c = local.lastIndex(of: ":") {
            host = String(local[..<c])
            guard let p = Int(local[local.index(after: c)...]), (0...65535).contains(p) else { throw UnusableInput("--local \(local): bad port") }
            port = p
        }
        return (host.isEmpty ? nil : host, port)
    }

    func configuration(onLog: (@Sendable (SenderLogEntry) -> Void)? = nil) throws -> SenderConfiguration {
        let (host, port) = try localEndpoint()
        let verbose = self.verbose
        return SenderConfiguration(
            timers: SIPTimers(t1: t1, t2: max(4, t1)), localAddress: host, localPort: port,
            tls: TLSOptions(caFile: caFile, insecure: insecure, serverName: serverName),
            onLog: { entry in
                if verbose {
                    let arrow = entry.direction == .sent ? "→" : "←"
                    let retx = entry.isRetransmission ? " (retransmission)" : ""
                    Output.error("\(ClockTime.format(epoch: entry.time)) \(arrow) \(entry.remote) \(entry.transport.rawValue): \(TerminalText.safe(entry.startLine))\(retx)")
                }
                onLog?(entry)
            })
    }

    static func target(_ text: String) throws -> SIPTarget {
        switch SIPTarget.parse(text) {
        case .success(let t): return t
        case .failure(let e): throw UnusableInput("--to \(e.description)")
        }
    }
}

extension ClockTime {
    static func format(epoch: Double) -> String {
        let whole = epoch.rounded(.down)
        return format(Timestamp(seconds: Int64(whole), nanoseconds: Int64((epoch - whole) * 1e9)))
    }
}
