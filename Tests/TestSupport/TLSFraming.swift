/// TLS's framing (RFC 8446 §5.1 and §4): a record header (type, version, length) around a
/// fragment, and a handshake header (type, 24-bit length) around a handshake message.
public enum TLSFraming {
    public static func record(_ type: UInt8, _ fragment: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
        [type] + be16(version) + be16(UInt16(truncatingIfNeeded: fragment.count)) + fragment
    }

    public static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, UInt8(truncatingIfNeeded: body.count >> 16)] + be16(UInt16(truncatingIfNeeded: body.count)) + body
    }
}
