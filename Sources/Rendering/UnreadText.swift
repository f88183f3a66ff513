import Pipeline

/// What an answer leaves out because it was not read (a file cut short, TLS without keys), said
/// by every command that does not list the capture's problems itself: never silence about it.
public enum UnreadText {
    /// One note each, for stderr.
    public static func notes(_ loaded: LoadedCapture) -> [String] {
        var notes: [String] = []
        if let cut = FileCut(diagnostics: loaded.diagnostics) { notes.append(cut.note) }
        if let note = TLSKeysAdvice(diagnostics: loaded.diagnostics, keyLog: loaded.tlsKeyLog).note { notes.append(note) }
        return notes
    }

    /// The same as fields of a command's one JSON document (`state`, `why`), for a script that reads
    /// stdout only: `file_cut` and `tls` (as `summary --json` names it), present only when they apply.
    public static func fields(_ loaded: LoadedCapture) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        if let cut = FileCut(diagnostics: loaded.diagnostics) { fields.append(("file_cut", cut.json)) }
        let tls = TLSKeysAdvice(diagnostics: loaded.diagnostics, keyLog: loaded.tlsKeyLog)
        if tls.missing > 0 { fields.append(("tls", tls.json)) }
        return fields
    }

    /// `document` with `fields(loaded)` appended.
    public static func adding(to document: JSONValue, _ loaded: LoadedCapture) -> JSONValue {
        let extra = fields(loaded)
        guard !extra.isEmpty, case .object(let fields) = document else { return document }
        return .object(fields + extra)
    }
}
