/// How a diagnostic tells the user to give the keys that would unlock a TLS connection.
///
/// A library has no options, so by default it says what to give in words; the CLI passes the
/// spelling of its options (`--tls-keylog FILE`), so that flags are named only there.
public struct TLSKeyRemedy: Sendable, Equatable {
    /// A key log (SSLKEYLOGFILE lines) for the connection.
    public var keyLog: String
    /// The server's RSA private key (TLS 1.2 with RSA key exchange only).
    public var serverKey: String

    public init(keyLog: String, serverKey: String) {
        self.keyLog = keyLog
        self.serverKey = serverKey
    }

    public static let words = TLSKeyRemedy(keyLog: "a key log file", serverKey: "a PEM file")
}
