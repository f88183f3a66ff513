import Pipeline
import Rendering

extension TLSKeysAdvice {
    /// The note on stderr when TLS connections went unread: never silence about what was not read.
    static func note(_ loaded: LoadedCapture) {
        if let note = TLSKeysAdvice(diagnostics: loaded.diagnostics, keyLog: loaded.tlsKeyLog).note { Output.error(TerminalText.safe(note)) }
    }
}
