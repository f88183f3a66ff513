import Base

/// pcapng Decryption Secrets Block (block type 0x0000000A): key material carried inside the
/// capture, so a file can travel with the keys that unlock it. `editcap --inject-secrets
/// tls,keys.log` writes one holding an NSS key log (secrets type "TLSK"); Wireshark reads it
/// without any option, and so do we.
public enum DecryptionSecretsBlock {
    public static let blockType: UInt32 = 0x0000_000A
    /// "TLSK": the NSS key log text (what SSLKEYLOGFILE holds).
    public static let tlsKeyLog: UInt32 = 0x544c_534b

    public enum Content: Equatable {
        /// A TLS key log: the secrets, and what reading its lines found.
        case tls(TLSSecrets, TLSSecrets.KeyLogReading)
        /// Secrets for another protocol (WireGuard "WGKL", ZigBee…): not ours to use.
        case otherType(UInt32)
        /// The block is shorter than its own secrets length says.
        case damaged
    }

    /// Reads a block's body (after type and length, before the trailing length).
    public static func decode(_ body: ArraySlice<UInt8>, bigEndian: Bool) -> Content {
        let base = body.startIndex
        guard let type = u32(body, base, bigEndian), let length = u32(body, base + 4, bigEndian),
              Int(length) <= body.endIndex - (base + 8) else { return .damaged }
        guard type == tlsKeyLog else { return .otherType(type) }
        let data = body[(base + 8)..<(base + 8 + Int(length))]
        var secrets = TLSSecrets()
        // Writers pad with NULs to a 4-byte boundary inside the declared length on occasion.
        let text = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
        let reading = secrets.addKeyLog(text)
        return .tls(secrets, reading)
    }

    /// A little-endian block holding `keyLog` (NSS key log lines, each ending in a newline),
    /// as `editcap --inject-secrets` writes it.
    public static func encode(keyLog: String) -> [UInt8] {
        let data = Array(keyLog.utf8)
        let e = CaptureFileEncoding.self
        return e.block(type: blockType, body: e.le32(tlsKeyLog) + e.le32(UInt32(data.count)) + data + e.padding(data.count))
    }

    /// The secrets type as its four letters when printable ("WGKL"), else in hex.
    public static func name(of type: UInt32) -> String {
        let bytes = [UInt8(type >> 24), UInt8(type >> 16 & 0xff), UInt8(type >> 8 & 0xff), UInt8(type & 0xff)]
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return String(decoding: bytes, as: UTF8.self) }
        return "0x" + String(type, radix: 16).leftPadded(to: 8)
    }

    /// The 32-bit word at `at`, nil past the end: this module reads no other binary fields.
    private static func u32(_ b: ArraySlice<UInt8>, _ at: Int, _ bigEndian: Bool) -> UInt32? {
        guard at >= b.startIndex, at + 4 <= b.endIndex else { return nil }
        let v = (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(b[at + (bigEndian ? $1 : 3 - $1)]) }
        return v
    }

}
