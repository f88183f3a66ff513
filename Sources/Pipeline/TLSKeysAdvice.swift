import Base

/// "Nothing unsaid" for TLS in `summary`: how many TLS connections could not be read for want
/// of keys and each connection's line (its endpoints, client
/// random, cipher suite and records left unread, as the TLS stage reports it).
public struct TLSKeysAdvice {
    /// The per-connection diagnostics that mean "no keys for this connection": one per connection.
    public static let missingKeyCodes: Set<String> = ["tls-unreadable", "tls-keys-missing"]
    /// Connection lines shown in text; the rest are counted.
    public static let shownConnections = 5

    public var connections: [Diagnostic] = []
    /// The key log that was read, if any (its keys did not fit these connections).
    public var keyLog: KeyLogSource?

    public init(diagnostics: [Diagnostic], keyLog: KeyLogSource?) {
        connections = diagnostics.filter { Self.missingKeyCodes.contains($0.code) }
        self.keyLog = keyLog
    }

    public var missing: Int { connections.count }
}
