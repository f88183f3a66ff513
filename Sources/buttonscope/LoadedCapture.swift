import ArgumentParser
import Foundation
import Capture
import Diagnostics
import SIP

/// What the pipeline got out of one capture: the SIP messages in frame order, the ICMP errors,
/// and every problem found on the way.
///
/// `stream` hands messages to the caller as they come and keeps none: memory stays bounded
/// whatever the capture's size.
struct LoadedCapture {
    var path: String
    var format: String
    /// Capture-level problems (file damage, fragments, stream gaps), in the order found; at most
    /// `maxKeptDiagnostics` (a hostile capture can have millions), the rest only counted.
    var diagnostics: [Diagnostic] = []
    var droppedDiagnostics = 0
    var statistics = ExtractionStatistics()

    static let maxKeptDiagnostics = 10_000
    /// Keys for SIP over TLS, from `--tls-keylog`/`--tls-key` or SSLKEYLOGFILE (set while the
    /// capture argument is validated, before any command runs).
    nonisolated(unsafe) static var tlsSecrets = TLSSecrets()

    /// Reads the whole capture, handing each message (in frame order) and each ICMP error to the
    /// callbacks as soon as its turn comes; keeps none of them. Diagnostics go to `onDiagnostic`
    /// when given, else are kept (bounded). Throws `UnusableInput` (exit 2).
    static func stream(_ path: String, onDiagnostic: ((Diagnostic) -> Void)? = nil,
                       onUnreachable: (ICMPUnreachable, Timestamp) -> Void = { _, _ in },
                       onFrame: ((CapturedFrame) -> Void)? = nil,
                       onMessage: (CapturedMessage) -> Void) throws -> LoadedCapture {
        let reader: CaptureReader
        do {
            reader = try CaptureReader(path: path)
        } catch let e as CaptureError {
            throw UnusableInput(e.description)
        }
        var loaded = LoadedCapture(path: path, format: reader.format)
        let extractor = SIPMessageExtractor(ordered: true, tlsSecrets: tlsSecrets)
        let keep: (Diagnostic) -> Void = { d in
            if let onDiagnostic { onDiagnostic(d); return }
            if loaded.diagnostics.count < maxKeptDiagnostics { loaded.diagnostics.append(d) } else { loaded.droppedDiagnostics += 1 }
        }
        let handle: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m): onMessage(m)
            case .diagnostic(let d): keep(d)
            case .unreachable(let icmp, let time):
                onUnreachable(icmp, time)
            }
        }
        var progress = ProgressBar(path: path)
        while let frame = reader.next() {
            onFrame?(frame)
            extractor.process(frame, emit: handle)
            progress?.update(bytesRead: reader.bytesRead)
        }
        progress?.finish()
        extractor.finish(emit: handle)
        reader.problems.forEach(keep)
        loaded.statistics = extractor.statistics
        if extractor.onlyUnsupportedLinkTypes {
            let types = extractor.unsupportedLinkTypes.map(\.description).joined(separator: ", ")
            throw UnusableInput("\(path == "-" ? "stdin" : path): \(types) is not a link type ButtonScope can decode (it reads Ethernet with VLAN tags, Linux SLL/SLL2, raw IP and BSD loopback)")
        }
        return loaded
    }
}

/// The capture-file argument every analysis command takes.
struct CaptureArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A pcap or pcapng file, or - to read from stdin (e.g. tcpdump -w - | buttonscope …).",
                                 valueName: "capture"))
    var path: String

    @Option(name: .customLong("tls-keylog"), help: ArgumentHelp(
        "An NSS key log (SSLKEYLOGFILE, openssl s_client -keylogfile) to decrypt SIP over TLS; default: $SSLKEYLOGFILE.",
        valueName: "file"))
    var tlsKeylog: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp(
        "The server's RSA private key (PEM), for TLS 1.2 connections with RSA key exchange; repeat for several.",
        valueName: "file"))
    var tlsKey: [String] = []

    func validate() throws {
        var secrets = TLSSecrets()
        if let log = tlsKeylog ?? ProcessInfo.processInfo.environment["SSLKEYLOGFILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard let text = try? String(contentsOfFile: log, encoding: .utf8) else {
                throw ValidationError("--tls-keylog \(log): cannot read the key log")
            }
            secrets.addKeyLog(text)
        }
        for file in tlsKey {
            guard let pem = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("--tls-key \(file): cannot read the key file")
            }
            secrets.rsaPrivateKeysPEM.append(pem)
        }
        LoadedCapture.tlsSecrets = secrets
    }
}

/// Runs a command body, turning `UnusableInput` into one stderr line and exit status 2.
func runReporting(_ body: () throws -> Void) throws {
    do {
        try body()
        Output.flush()
    } catch let e as UnusableInput {
        // One line, whatever the file name or the input holds (an ESC in a name is shown, not obeyed).
        Output.error("buttonscope: \(TerminalText.safe(e.description))")
        throw ExitStatus.unusableInput
    }
}
