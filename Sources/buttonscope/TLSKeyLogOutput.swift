import ArgumentParser
import Sender
import Pipeline
import Rendering
import TLSKeys

/// `--tls-keylog FILE` on the commands that speak TLS (send, bind-key, phone): the session keys
/// appended to FILE as an NSS key log, so Wireshark or `buttonscope --tls-keylog FILE` can read
/// a capture of the exchange. SSLKEYLOGFILE is the default, as for curl. (`replay` reads its
/// capture's keys and appends its own to the same `--tls-keylog` file: see `TLSKeyOptions`.)
struct TLSKeyLogOutput: ParsableArguments {
    @Option(name: .customLong("tls-keylog"), help: ArgumentHelp(
        "TLS: append the session keys to this NSS key log (default: $SSLKEYLOGFILE, as curl does), so a capture of the exchange can be decrypted: tshark -o tls.keylog_file:FILE, or buttonscope … --tls-keylog FILE.",
        valueName: "file"))
    var keyLog: String?

    /// The sink for the keys: the file, else SSLKEYLOGFILE, else memory only when `--record`
    /// needs the keys to embed (`memoryForRecording`), else none. Exit 2 naming an unwritable file.
    static func sink(path: String?, memoryForRecording: Bool) throws -> TLSKeyLogSink? {
        let file = path ?? TLSKeyOptions.processEnvironment["SSLKEYLOGFILE"]
        guard file != nil || memoryForRecording else { return nil }
        do {
            return try TLSKeyLogSink(appendingTo: file)
        } catch let e as SenderError {
            throw UnusableInput(path == nil && file != nil ? "SSLKEYLOGFILE: \(OptionHint.text(e))" : "--tls-keylog: \(OptionHint.text(e))")
        }
    }
}
