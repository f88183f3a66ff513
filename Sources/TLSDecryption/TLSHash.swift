import Crypto

/// The hash functions TLS key schedules and record MACs use, as one value so tables can name them.
public enum TLSHash: Sendable, Equatable {
    case sha1, sha256, sha384

    public var byteCount: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha384: return 48
        }
    }

    func hmac(key: [UInt8], _ parts: [UInt8]...) -> [UInt8] {
        let k = SymmetricKey(data: key)
        switch self {
        case .sha1: return Self.mac(Insecure.SHA1.self, k, parts)
        case .sha256: return Self.mac(SHA256.self, k, parts)
        case .sha384: return Self.mac(SHA384.self, k, parts)
        }
    }

    func digest(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: data))
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha384: return Array(SHA384.hash(data: data))
        }
    }

    private static func mac<H: HashFunction>(_: H.Type, _ key: SymmetricKey, _ parts: [[UInt8]]) -> [UInt8] {
        var h = HMAC<H>(key: key)
        for p in parts { h.update(data: p) }
        return Array(h.finalize())
    }
}
