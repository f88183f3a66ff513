import Diagnostics

/// "Nothing unsaid" for TLS in `summary`: how many TLS connections could not be read for want
/// of keys, the option that would help, and each connection's line (its endpoints, client
/// random, cipher suite and records left unread, as the TLS stage reports it).
struct TLSKeysAdvice {
    /// The per-connection diagnostics that mean "no keys for this connection": one per connection.
    static let missingKeyCodes: Set<String> = ["tls-unreadable", "tls-keys-missing"]
    /// Connection lines shown in text; the rest are counted.
    static let shownConnections = 5

    var connections: [Diagnostic] = []
    /// The key log that was read, if any (its keys did not fit these connections).
    var keyLog: TLSKeyOptions.KeyLogSource?

    init(diagnostics: [Diagnostic], keyLog: TLSKeyOptions.KeyLogSource?) {
        connections = diagnostics.filter { Self.missingKeyCodes.contains($0.code) }
        self.keyLog = keyLog
    }

    var missing: Int { connections.count }

    /// What to do about it, in one sentence.
    var advice: String {
        if let keyLog {
            return "the key log \(keyLog.shown) has no keys for \(missing == 1 ? "it" : "them"): give the key log of the session\(missing == 1 ? "" : "s") captured (--tls-keylog FILE), or --tls-key PBX-KEY.pem for TLS 1.2 with RSA key exchange"
        }
        return "give the key log the TLS endpoint wrote: --tls-keylog FILE (or set SSLKEYLOGFILE), or --tls-key PBX-KEY.pem for TLS 1.2 with RSA key exchange"
    }

    /// One line on stderr for the commands that answer from the messages (`state`, `why`,
    /// `timeline`, `lint`): their answer leaves out what the connections without keys carried.
    var note: String? {
        guard missing > 0 else { return nil }
        let it = missing == 1 ? "it" : "they"
        return "buttonscope: note: \(missing) TLS connection\(missing == 1 ? "" : "s") could not be read, so this answer leaves out the SIP \(it) carried: \(advice) (`buttonscope summary` names \(missing == 1 ? "it" : "them"))"
    }

    /// Writes `note` for what `loaded` could not read, if anything.
    static func note(_ loaded: LoadedCapture) {
        if let note = TLSKeysAdvice(diagnostics: loaded.diagnostics, keyLog: loaded.tlsKeyLog).note { Output.error(TerminalText.safe(note)) }
    }

    /// The summary's lines (none when every TLS connection was read).
    var text: [String] {
        guard missing > 0 else { return [] }
        var out = ["TLS: \(missing) connection\(missing == 1 ? "" : "s") without keys, \(missing == 1 ? "its" : "their") SIP unread: \(advice)."]
        for d in connections.prefix(Self.shownConnections) {
            out.append("  " + TerminalText.safe(d.message))
        }
        if missing > Self.shownConnections { out.append("  … \(missing - Self.shownConnections) more") }
        return out
    }

    var json: JSONValue {
        .object([("keys_missing", .int(missing)), ("advice", .string(advice)),
                 ("connections", .array(connections.map { d in
                     .object([("code", .string(d.code)), ("frame", .optional(d.frame)), ("message", .string(d.message))])
                 }))])
    }
}
