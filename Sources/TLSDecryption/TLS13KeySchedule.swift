import Crypto

/// TLS 1.3 (RFC 8446 §7): from a traffic secret in the key log to the record key and IV, and the
/// next secret after a KeyUpdate. Nothing else of the schedule is needed: the key log holds the
/// traffic secrets themselves.
public enum TLS13KeySchedule {
    /// HKDF-Expand-Label(secret, label, context, length), label prefixed with "tls13 ".
    public static func expandLabel(_ hash: TLSHash, secret: [UInt8], label: String, context: [UInt8] = [], length: Int) -> [UInt8] {
        let fullLabel = Array(("tls13 " + label).utf8)
        var info: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xff), UInt8(fullLabel.count)]
        info += fullLabel
        info.append(UInt8(context.count))
        info += context
        let prk = SymmetricKey(data: secret)
        let out: SymmetricKey
        switch hash {
        case .sha256: out = HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        case .sha384: out = HKDF<SHA384>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        case .sha1: out = HKDF<Insecure.SHA1>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
        }
        return out.withUnsafeBytes { Array($0) }
    }

    /// The write key and IV of one direction.
    public static func trafficKeys(_ suite: TLSCipherSuite, secret: [UInt8]) -> (key: [UInt8], iv: [UInt8]) {
        let keyBytes: Int
        switch suite.cipher {
        case .aesGCM(let n): keyBytes = n
        case .chacha20Poly1305: keyBytes = 32
        case .aesCBC(let n, _): keyBytes = n
        }
        return (expandLabel(suite.hash, secret: secret, label: "key", length: keyBytes),
                expandLabel(suite.hash, secret: secret, label: "iv", length: 12))
    }

    /// application_traffic_secret_N+1 (§7.2).
    public static func nextSecret(_ hash: TLSHash, after secret: [UInt8]) -> [UInt8] {
        expandLabel(hash, secret: secret, label: "traffic upd", length: hash.byteCount)
    }
}
