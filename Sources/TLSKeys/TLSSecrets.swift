/// The secrets that unlock TLS connections in a capture: NSS key log lines (what SSLKEYLOGFILE,
/// `openssl s_client -keylogfile` and pcapng Decryption Secrets Blocks carry) and RSA private
/// keys for TLS 1.2 connections with RSA key exchange.
///
/// Plain values: the capture reader adds the secrets it finds in the file, the CLI those from
/// `--tls-keylog`/`--tls-key`, and the TLS stage looks them up by client random.
public struct TLSSecrets: Sendable, Equatable {
    /// Secret by label (`CLIENT_RANDOM`, `CLIENT_TRAFFIC_SECRET_0`, …) by client random (32 bytes).
    public private(set) var byClientRandom: [[UInt8]: [String: [UInt8]]] = [:]
    /// PEM text of RSA private keys, tried in order on RSA key exchanges.
    public var rsaPrivateKeysPEM: [String] = []

    public init() {}

    public var isEmpty: Bool { byClientRandom.isEmpty && rsaPrivateKeysPEM.isEmpty }

    /// The secret a connection needs, if the key log has it.
    public func secret(_ label: String, clientRandom: [UInt8]) -> [UInt8]? {
        byClientRandom[clientRandom]?[label]
    }

    /// What reading a key log found: lines taken, and lines that are not key log lines (with
    /// their 1-based numbers, at most a few kept) so the user can be told the file is wrong.
    public struct KeyLogReading: Sendable, Equatable {
        public var added = 0
        public var badLines: [Int] = []
        public var badLineCount = 0
        /// The number of the last line when it is bad and has no line end: the file was cut
        /// inside it (copied while a TLS stack was still writing it, or truncated).
        public var cutInsideLine: Int?
    }

    /// Adds every `LABEL <client random hex> <secret hex>` line of an NSS key log. Comments (`#`)
    /// and blank lines are skipped; unknown labels are kept (harmless); malformed lines counted.
    @discardableResult
    public mutating func addKeyLog(_ text: String) -> KeyLogReading {
        var reading = KeyLogReading()
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.first == "#" { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 3, let random = Self.hex(fields[1]), random.count == 32,
                  let secret = Self.hex(fields[2]), Self.plausible(secret, label: fields[0]) else {
                reading.badLineCount += 1
                if reading.badLines.count < 5 { reading.badLines.append(number) }
                if !text.hasSuffix("\n"), raw.endIndex == text.endIndex { reading.cutInsideLine = number }
                continue
            }
            byClientRandom[random, default: [:]][String(fields[0])] = secret
            reading.added += 1
        }
        return reading
    }

    /// A secret of the length its label has: a TLS 1.2 master secret is 48 bytes, a TLS 1.3
    /// secret the length of the suite's hash (32 or 48). A line cut short is no key.
    static func plausible<S: StringProtocol>(_ secret: [UInt8], label: S) -> Bool {
        if label == "CLIENT_RANDOM" { return secret.count == 48 }
        if label.hasSuffix("_SECRET") || label.hasSuffix("_SECRET_0") { return secret.count == 32 || secret.count == 48 }
        return !secret.isEmpty
    }

    /// Everything `other` holds, added to these.
    public mutating func merge(_ other: TLSSecrets) {
        for (random, secrets) in other.byClientRandom {
            byClientRandom[random, default: [:]].merge(secrets) { _, new in new }
        }
        for pem in other.rsaPrivateKeysPEM where !rsaPrivateKeysPEM.contains(pem) { rsaPrivateKeysPEM.append(pem) }
    }

    static func hex<S: StringProtocol>(_ s: S) -> [UInt8]? {
        guard s.utf8.count % 2 == 0, s.utf8.count <= 256 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count / 2)
        var high: UInt8?
        for c in s.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            case 0x41...0x46: v = c - 0x41 + 10
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
