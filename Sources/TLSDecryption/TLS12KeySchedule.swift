/// TLS 1.2 (RFC 5246 §5, §6.3, §8.1; RFC 7627): the PRF, the master secret from a premaster, and
/// the key block that gives each direction its MAC key, cipher key and fixed IV.
public enum TLS12KeySchedule {
    /// PRF(secret, label, seed) = P_hash(secret, label + seed), `length` bytes.
    public static func prf(_ hash: TLSHash, secret: [UInt8], label: String, seed: [UInt8], length: Int) -> [UInt8] {
        let labelSeed = Array(label.utf8) + seed
        var out: [UInt8] = []
        out.reserveCapacity(length + hash.byteCount)
        var a = labelSeed
        while out.count < length {
            a = hash.hmac(key: secret, a)
            out += hash.hmac(key: secret, a, labelSeed)
        }
        return Array(out.prefix(length))
    }

    /// The master secret: from the randoms, or with extended master secret from the session hash
    /// (the hash of every handshake message up to and including ClientKeyExchange).
    public static func masterSecret(_ hash: TLSHash, premaster: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8],
                                    sessionHash: [UInt8]?) -> [UInt8] {
        if let sessionHash {
            return prf(hash, secret: premaster, label: "extended master secret", seed: sessionHash, length: 48)
        }
        return prf(hash, secret: premaster, label: "master secret", seed: clientRandom + serverRandom, length: 48)
    }

    /// One direction's keys, cut from the key block.
    public struct DirectionKeys: Sendable, Equatable {
        public var macKey: [UInt8]
        public var key: [UInt8]
        public var iv: [UInt8]
    }

    public static func keys(_ suite: TLSCipherSuite, master: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8])
        -> (client: DirectionKeys, server: DirectionKeys) {
        let macBytes: Int, keyBytes: Int, ivBytes: Int
        switch suite.cipher {
        case .aesGCM(let n): (macBytes, keyBytes, ivBytes) = (0, n, 4)
        case .chacha20Poly1305: (macBytes, keyBytes, ivBytes) = (0, 32, 12)
        case .aesCBC(let n, let mac): (macBytes, keyBytes, ivBytes) = (mac.byteCount, n, 0)
        }
        let block = prf(suite.hash, secret: master, label: "key expansion", seed: serverRandom + clientRandom,
                        length: 2 * (macBytes + keyBytes + ivBytes))
        var at = 0
        func take(_ n: Int) -> [UInt8] { defer { at += n }; return Array(block[at..<at + n]) }
        let cMac = take(macBytes), sMac = take(macBytes)
        let cKey = take(keyBytes), sKey = take(keyBytes)
        let cIV = take(ivBytes), sIV = take(ivBytes)
        return (DirectionKeys(macKey: cMac, key: cKey, iv: cIV), DirectionKeys(macKey: sMac, key: sKey, iv: sIV))
    }
}
