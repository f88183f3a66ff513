import Crypto
import _CryptoExtras

/// The premaster secret of a TLS 1.2 RSA key exchange, recovered with the server's private key.
///
/// swift-crypto offers no PKCS#1 v1.5 decryption; its raw private-key operation (the one RSA
/// blind signatures use) gives the padded block, and the padding is read here (RFC 8017 §7.2.2).
public struct RSAPremasterKey {
    private let key: _RSA.BlindSigning.PrivateKey<SHA384>

    /// Nil when the text is no RSA private key swift-crypto can read (PKCS#1 or PKCS#8 PEM).
    public init?(pem: String) {
        guard let k = try? _RSA.BlindSigning.PrivateKey<SHA384>(unsafePEMRepresentation: pem) else { return nil }
        key = k
    }

    public var modulusBytes: Int { key.keySizeInBits / 8 }

    /// The 48-byte premaster, or nil when this key did not encrypt it (wrong key, bad padding).
    public func premaster(_ encrypted: [UInt8]) -> [UInt8]? {
        guard encrypted.count == modulusBytes, let raw = try? key.blindSignature(for: encrypted) else { return nil }
        let block = raw.withUnsafeBytes { Array($0) }
        // 00 02 <at least 8 non-zero bytes> 00 <premaster>
        guard block.count == modulusBytes, block[0] == 0, block[1] == 2,
              let zero = block[2...].firstIndex(of: 0), zero >= 10 else { return nil }
        let premaster = Array(block[(zero + 1)...])
        return premaster.count == 48 ? premaster : nil
    }
}
