import Base
import Pipeline

/// How the TLS connections left unread are said: the stderr note of every command, `summary`'s lines and JSON.
extension TLSKeysAdvice {
    /// What to do about it, in one sentence, naming the CLI's key options.
    public var advice: String {
        if let keyLog {
            return "the key log \(keyLog.shown) has no keys for \(missing == 1 ? "it" : "them"): give the key log of the session\(missing == 1 ? "" : "s") captured (--tls-keylog FILE), or --tls-key PBX-KEY.pem for TLS 1.2 with RSA key exchange"
        }
        return "give the key log the TLS endpoint wrote: --tls-keylog FILE (or set SSLKEYLOGFILE), or --tls-key PBX-KEY.pem for TLS 1.2 with RSA key exchange"
    }

    public var note: String? {
        guard missing > 0 else { return nil }
        let it = missing == 1 ? "it" : "they"
        return "buttonscope: note: \(missing) TLS connection\(missing == 1 ? "" : "s") could not be read, so this answer leaves out the SIP \(it) carried: \(advice) (`buttonscope summary` names \(missing == 1 ? "it" : "them"))"
    }

    /// Writes `note` for what `loaded` could not read, if anything.
    public var text: [String] {
        guard missing > 0 else { return [] }
        var out = ["TLS: \(missing) connection\(missing == 1 ? "" : "s") without keys, \(missing == 1 ? "its" : "their") SIP unread: \(advice)."]
        for d in connections.prefix(Self.shownConnections) {
            out.append("  " + TerminalText.safe(d.message))
        }
        if missing > Self.shownConnections { out.append("  … \(missing - Self.shownConnections) more") }
        return out
    }

    public var json: JSONValue {
        .object([("keys_missing", .int(missing)), ("advice", .string(advice)),
                 ("connections", .array(connections.map { d in
                     .object([("code", .string(d.code)), ("frame", .optional(d.frame)), ("message", .string(d.message))])
                 }))])
    }
}
