import Base

/// The TLS stage's diagnostic codes: what kept a TLS connection's records from being read.
public enum TLSCode: String, DiagnosticCode {
    case tlsRecordTruncated = "tls-record-truncated"
    case tlsGap = "tls-gap"
    case tlsMalformedRecord = "tls-malformed-record"
    case tlsWrongKeys = "tls-wrong-keys"
    case tlsUnsupportedCipher = "tls-unsupported-cipher"
    case tlsUnreadable = "tls-unreadable"

    public var meaning: String {
        switch self {
        case .tlsRecordTruncated: "The capture's snap length cut a TLS record: it cannot be decrypted."
        case .tlsGap: "Bytes of a TLS record were never captured: the connection's later records cannot be read."
        case .tlsMalformedRecord: "A TLS record header is not one: the rest of that direction was not read."
        case .tlsWrongKeys: "The keys given for a connection do not decrypt it (wrong key log or private key)."
        case .tlsUnsupportedCipher: "The connection's cipher suite is not one ButtonScope decrypts."
        case .tlsUnreadable: "A TLS connection's records were left unread: no keys for it, or no handshake captured."
        }
    }
}
