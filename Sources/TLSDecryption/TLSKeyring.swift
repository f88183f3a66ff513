import TLSKeys

/// Everything that unlocks connections, shared by all connections of a capture: the user's
/// secrets, the RSA keys parsed once, and the master secrets of sessions seen earlier in the
/// capture (TLS 1.2 resumption by session ID or ticket).
public struct TLSKeyring {
    public var secrets: TLSSecrets
    private var parsedRSA: [String: RSAPremasterKey] = [:]
    private var unreadablePEM: Set<String> = []
    var sessions = TLSSessionCache()

    public init(secrets: TLSSecrets = TLSSecrets()) { self.secrets = secrets }

    /// The RSA keys given, parsed (PEM text that is no RSA key is skipped).
    mutating func rsaKeys() -> [RSAPremasterKey] {
        var keys: [RSAPremasterKey] = []
        for pem in secrets.rsaPrivateKeysPEM where !unreadablePEM.contains(pem) {
            if let k = parsedRSA[pem] { keys.append(k); continue }
            if let k = RSAPremasterKey(pem: pem) { parsedRSA[pem] = k; keys.append(k) } else { unreadablePEM.insert(pem) }
        }
        return keys
    }
}

/// Master secrets by session ID and by ticket, so a resumed TLS 1.2 session is read with the
/// secret of the connection that made it. Bounded: the oldest entries go first.
struct TLSSessionCache {
    static let maxEntries = 4096
    private var byKey: [[UInt8]: [UInt8]] = [:]
    private var order: [[UInt8]] = []
    private var start = 0

    func master(for key: [UInt8]) -> [UInt8]? { key.isEmpty ? nil : byKey[key] }

    mutating func remember(_ key: [UInt8], master: [UInt8]) {
        guard !key.isEmpty else { return }
        if byKey.updateValue(master, forKey: key) == nil { order.append(key) }
        while byKey.count > Self.maxEntries, start < order.count {
            byKey[order[start]] = nil
            start += 1
        }
        if start > Self.maxEntries { order.removeFirst(start); start = 0 }
    }
}
