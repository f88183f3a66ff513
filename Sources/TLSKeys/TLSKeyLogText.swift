/// Secrets written back out as NSS key log lines: what `export` and `replay --record` embed in
/// a Decryption Secrets Block, limited to the connections the new file holds.
extension TLSSecrets {
    /// Labels in the order TLS produces them; unknown labels follow by name.
    static let labelOrder = ["CLIENT_RANDOM", "CLIENT_EARLY_TRAFFIC_SECRET", "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                             "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0",
                             "EXPORTER_SECRET"]

    /// The key log lines for these client randoms (those the secrets know), one a line, each
    /// ending in a newline; empty when none is known.
    public func keyLog<S: Sequence>(clientRandoms: S) -> String where S.Element == [UInt8] {
        var out = ""
        var seen = Set<[UInt8]>()
        for random in clientRandoms where seen.insert(random).inserted {
            guard let secrets = byClientRandom[random] else { continue }
            let labels = secrets.keys.sorted { a, b in
                let (ia, ib) = (Self.labelOrder.firstIndex(of: a) ?? Int.max, Self.labelOrder.firstIndex(of: b) ?? Int.max)
                return ia != ib ? ia < ib : a < b
            }
            for label in labels {
                out += "\(label) \(Self.hexString(random)) \(Self.hexString(secrets[label]!))\n"
            }
        }
        return out
    }

    /// The client randoms these secrets can unlock.
    public var clientRandoms: [[UInt8]] { Array(byClientRandom.keys) }

    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xf)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
