import TLSKeys
import Base

/// The Decryption Secrets Blocks a pcapng capture carries, handed out as the reader meets them.
extension CaptureReader {
    /// Secrets from the Decryption Secrets Blocks met since the last call (nil when none):
    /// hand them to the TLS stage before the frame `next()` just returned, which they may unlock.
    public func takeSecrets() -> TLSSecrets? {
        guard !pendingSecrets.isEmpty else { return nil }
        defer { pendingSecrets = TLSSecrets() }
        return pendingSecrets
    }

    func takeSecretsBlocks(_ d: PcapngDecoder, beforeFrame frame: Int) {
        for block in d.secretsBlocks {
            switch block {
            case .tls(let secrets, let reading):
                pendingSecrets.merge(secrets)
                secretsBlocksRead += 1
                if reading.badLineCount > 0 {
                    let lines = reading.badLines.map(String.init).joined(separator: ", ") + (reading.badLineCount > reading.badLines.count ? ", …" : "")
                    problems.append(Diagnostic(CaptureCode.tlsSecretsBadLines, .warning,
                        "before frame \(frame): a Decryption Secrets Block holds \(reading.badLineCount) line\(reading.badLineCount == 1 ? "" : "s") that are not key log lines (line\(reading.badLineCount == 1 ? "" : "s") \(lines)); they were skipped", frame: frame))
                }
            case .otherType(let type):
                problems.append(Diagnostic(CaptureCode.secretsNotTLS, .info,
                    "before frame \(frame): a Decryption Secrets Block of type \(DecryptionSecretsBlock.name(of: type)) (not a TLS key log) was skipped", frame: frame))
            case .damaged:
                problems.append(Diagnostic(CaptureCode.secretsBlockDamaged, .warning,
                    "before frame \(frame): a Decryption Secrets Block is shorter than the secrets it announces; it was skipped", frame: frame))
            }
        }
        d.secretsBlocks.removeAll()
    }
}
