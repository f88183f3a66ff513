/// What a cipher suite number means for reading its records: the protocol it belongs to, how the
/// premaster was exchanged, the record cipher and the hash of the key schedule.
///
/// Only the suites ButtonScope decrypts are listed; any other number is named by its hex value and
/// reported as unsupported.
public struct TLSCipherSuite: Sendable, Equatable {
    public enum KeyExchange: Sendable, Equatable { case rsa, ecdhe, dhe, tls13 }
    public enum RecordCipher: Sendable, Equatable {
        case aesGCM(keyBytes: Int)
        case chacha20Poly1305
        case aesCBC(keyBytes: Int, mac: TLSHash)
    }

    public var id: UInt16
    public var name: String
    public var keyExchange: KeyExchange
    public var cipher: RecordCipher
    /// The hash of the PRF (TLS 1.2) or HKDF (TLS 1.3).
    public var hash: TLSHash

    public var isTLS13: Bool { keyExchange == .tls13 }

    public static func named(_ id: UInt16) -> TLSCipherSuite? { table[id] }

    /// "TLS_AES_128_GCM_SHA256 (0x1301)", or just the number for suites not in the table.
    public static func describe(_ id: UInt16) -> String {
        let digits = String(id, radix: 16, uppercase: true)
        let hex = "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        if let s = table[id] { return "\(s.name) (\(hex))" }
        return "cipher suite \(hex)"
    }

    private static let table: [UInt16: TLSCipherSuite] = {
        var t: [UInt16: TLSCipherSuite] = [:]
        func add(_ id: UInt16, _ name: String, _ kx: KeyExchange, _ c: RecordCipher, _ h: TLSHash) {
            t[id] = TLSCipherSuite(id: id, name: name, keyExchange: kx, cipher: c, hash: h)
        }
        add(0x1301, "TLS_AES_128_GCM_SHA256", .tls13, .aesGCM(keyBytes: 16), .sha256)
        add(0x1302, "TLS_AES_256_GCM_SHA384", .tls13, .aesGCM(keyBytes: 32), .sha384)
        add(0x1303, "TLS_CHACHA20_POLY1305_SHA256", .tls13, .chacha20Poly1305, .sha256)
        for (kx, kxName, base) in [(KeyExchange.rsa, "RSA", [0x009C, 0x009D] as [UInt16]),
                                   (.dhe, "DHE_RSA", [0x009E, 0x009F]),
                                   (.ecdhe, "ECDHE_ECDSA", [0xC02B, 0xC02C]),
                                   (.ecdhe, "ECDHE_RSA", [0xC02F, 0xC030])] {
            add(base[0], "TLS_\(kxName)_WITH_AES_128_GCM_SHA256", kx, .aesGCM(keyBytes: 16), .sha256)
            add(base[1], "TLS_\(kxName)_WITH_AES_256_GCM_SHA384", kx, .aesGCM(keyBytes: 32), .sha384)
        }
        add(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .ecdhe, .chacha20Poly1305, .sha256)
        add(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", .ecdhe, .chacha20Poly1305, .sha256)
        add(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", .dhe, .chacha20Poly1305, .sha256)
        let cbc: [(UInt16, String, KeyExchange, Int, TLSHash, TLSHash)] = [
            (0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", .rsa, 16, .sha1, .sha256),
            (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", .rsa, 32, .sha1, .sha256),
            (0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", .rsa, 16, .sha256, .sha256),
            (0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", .rsa, 32, .sha256, .sha256),
            (0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", .dhe, 16, .sha1, .sha256),
            (0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", .dhe, 32, .sha1, .sha256),
            (0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", .dhe, 16, .sha256, .sha256),
            (0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", .dhe, 32, .sha256, .sha256),
            (0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", .ecdhe, 16, .sha1, .sha256),
            (0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", .ecdhe, 32, .sha1, .sha256),
            (0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", .ecdhe, 16, .sha1, .sha256),
            (0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", .ecdhe, 32, .sha1, .sha256),
            (0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", .ecdhe, 16, .sha256, .sha256),
            (0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", .ecdhe, 32, .sha384, .sha384),
            (0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", .ecdhe, 16, .sha256, .sha256),
            (0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", .ecdhe, 32, .sha384, .sha384),
        ]
        for (id, name, kx, key, mac, prf) in cbc { add(id, name, kx, .aesCBC(keyBytes: key, mac: mac), prf) }
        return t
    }()
}
