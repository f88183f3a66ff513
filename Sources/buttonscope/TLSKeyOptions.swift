import TLSKeys
import ArgumentParser
import Capture
import Pipeline
#if canImport(Glibc)
import Glibc
import Rendering
#endif

/// `--tls-keylog` and `--tls-key`: the keys that unlock SIP over TLS in a capture, on every
/// command that reads one (through `CaptureArgument`). `SSLKEYLOGFILE` in the environment is the
/// default key log, as for curl and browsers. Keys embedded in a pcapng (Decryption Secrets
/// Blocks) need no option: the reader hands them on as it meets them.
struct TLSKeyOptions: ParsableArguments {
    @Option(name: .customLong("tls-keylog"), help: ArgumentHelp(
        "TLS: an NSS key log that unlocks SIP over TLS (default: $SSLKEYLOGFILE). The TLS endpoint writes it: SSLKEYLOGFILE=FILE for curl and browsers, `openssl s_client -keylogfile FILE`, Python's SSLContext.keylog_filename, Kamailio's tls keylog_file, `buttonscope send|replay|phone --tls-keylog FILE`. Phones do not export keys: log them at the PBX or proxy end.",
        valueName: "file"))
    var keyLog: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp(
        "TLS: the server's (PBX's) RSA private key as PEM, for TLS 1.2 connections with RSA key exchange (no key log needed; useless for ECDHE and TLS 1.3). Repeatable.",
        valueName: "pem"))
    var rsaKeys: [String] = []

    /// Where the key log comes from: the option, or the environment.
    typealias KeyLogSource = Pipeline.KeyLogSource

    func keyLogSource(environment: [String: String]) -> KeyLogSource? {
        if let keyLog { return KeyLogSource(path: keyLog, fromEnvironment: false) }
        if let env = environment["SSLKEYLOGFILE"], !env.isEmpty { return KeyLogSource(path: env, fromEnvironment: true) }
        return nil
    }

    /// What loading found: the secrets, and warning lines for stderr.
    struct Loaded {
        var secrets = TLSSecrets()
        var warnings: [String] = []
        var keyLog: KeyLogSource?
    }

    /// Reads the key log and the RSA keys. A file named on the command line that cannot be read
    /// is unusable input (exit 2); `keyLogMayBeNew` (replay, which appends its own keys to the
    /// same file) and SSLKEYLOGFILE (set for curl, perhaps not yet written) let a missing key
    /// log pass with a warning (SSLKEYLOGFILE) or silently (a file replay is about to create).
    func load(environment: [String: String] = Self.processEnvironment, keyLogMayBeNew: Bool = false) throws -> Loaded {
        var loaded = Loaded()
        if let source = keyLogSource(environment: environment) {
            loaded.keyLog = source
            switch Self.readFile(source.path) {
            case .success(let bytes):
                let reading = loaded.secrets.addKeyLog(String(decoding: bytes, as: UTF8.self))
                if let warning = Self.warning(for: reading, file: source.shown, size: bytes.count) { loaded.warnings.append(warning) }
            case .failure(let reason):
                if reason.missing && keyLogMayBeNew && !source.fromEnvironment {
                    break
                } else if reason.missing && source.fromEnvironment {
                    loaded.warnings.append("\(source.shown): no such file; no TLS keys read from it")
                } else {
                    throw UnusableInput("\(source.fromEnvironment ? source.shown : "--tls-keylog " + source.path): \(reason.text)")
                }
            }
        }
        for path in rsaKeys {
            switch Self.readFile(path) {
            case .success(let bytes):
                let pem = String(decoding: bytes, as: UTF8.self)
                if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED") {
                    throw UnusableInput("--tls-key \(path): the key is protected by a passphrase; write a plain copy with `openssl pkey -in \(path) -out plain.pem`")
                }
                guard pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN PRIVATE KEY-----") else {
                    throw UnusableInput("--tls-key \(path): not a PEM private key (expected a -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- block)")
                }
                if !loaded.secrets.rsaPrivateKeysPEM.contains(pem) { loaded.secrets.rsaPrivateKeysPEM.append(pem) }
            case .failure(let reason):
                throw UnusableInput("--tls-key \(path): \(reason.text)")
            }
        }
        return loaded
    }

    /// One line about a key log that is not all key log lines (or holds none).
    static func warning(for reading: TLSSecrets.KeyLogReading, file: String, size: Int) -> String? {
        if reading.badLineCount > 0 {
            let lines = reading.badLines.map(String.init).joined(separator: ", ") + (reading.badLineCount > reading.badLines.count ? ", …" : "")
            let what = reading.badLineCount == 1 ? "1 line is" : "\(reading.badLineCount) lines are"
            return "\(file): \(what) not key log lines (LABEL <client random> <secret>), skipped: line\(reading.badLineCount == 1 ? "" : "s") \(lines)"
                + (reading.added == 0 ? "; no keys read from it" : "; \(reading.added) key\(reading.added == 1 ? "" : "s") read")
                + (reading.cutInsideLine.map { "; the file ends inside line \($0): cut short (copied while it was still being written?)" } ?? "")
        }
        if reading.added == 0 {
            return "\(file): \(size == 0 ? "empty" : "only comments"): no TLS keys read from it"
        }
        return nil
    }

    /// Key logs of a busy browser reach megabytes; past this a file is not a key log.
    static let maxFileBytes = 256 << 20

    struct ReadFailure: Error {
        var text: String
        var missing: Bool
    }

    static func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let e = errno
            return .failure(ReadFailure(text: "cannot open: \(String(cString: strerror(e)))", missing: e == ENOENT))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return .failure(ReadFailure(text: "cannot open: is a directory", missing: false)) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(text: "cannot read: \(String(cString: strerror(errno)))", missing: false))
            }
            if n == 0 { break }
            out += chunk[0..<n]
            if out.count > maxFileBytes { return .failure(ReadFailure(text: "larger than \(maxFileBytes >> 20) MB: not a key file", missing: false)) }
        }
        return .success(out)
    }

    static var processEnvironment: [String: String] {
        guard let value = getenv("SSLKEYLOGFILE") else { return [:] }
        return ["SSLKEYLOGFILE": String(cString: value)]
    }
}
