import ArgumentParser
import Pipeline
import Rendering

/// The capture-file argument every analysis command takes.
struct CaptureArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A pcap or pcapng file, or - to read from stdin (e.g. tcpdump -w - | buttonscope …).",
                                 valueName: "capture"))
    var path: String

    @OptionGroup var tlsKeys: TLSKeyOptions

    /// A capture named by another option (`press --registrations FILE`): the path, keys from
    /// SSLKEYLOGFILE as for any capture.
    static func forPath(_ path: String) throws -> CaptureArgument {
        do { return try parse(["--", path]) } catch { throw UnusableInput("\(path): \(fullMessage(for: error))") }
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

extension CaptureArgument {
    /// The capture and its keys, for the pipeline: reads the key files (their warnings go to
    /// stderr) and sets up the progress bar. Throws `UnusableInput` (exit 2). `keyLogMayBeNew`:
    /// see `TLSKeyOptions.load`.
    func source(keyLogMayBeNew: Bool = false) throws -> CaptureSource {
        let keys = try tlsKeys.load(keyLogMayBeNew: keyLogMayBeNew)
        keys.warnings.forEach { Output.error("buttonscope: warning: \(TerminalText.safe($0))") }
        var bar = ProgressBar(path: path)
        var source = CaptureSource(path: path, tlsSecrets: keys.secrets, keyLog: keys.keyLog) { bytesRead in
            if let bytesRead { bar?.update(bytesRead: bytesRead) } else { bar?.finish() }
        }
        source.tlsRemedy = OptionHint.tlsKeys
        return source
    }
}
