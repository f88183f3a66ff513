/// Where the emulated phone listens: `udp:127.0.0.1:5062`, `tcp:[::1]:5062`, `tls:127.0.0.1:5063`.
public struct PhoneListenAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: String, Hashable, Sendable, CaseIterable {
        case udp, tcp, tls
        /// How the transport is written in a Via header.
        public var viaToken: String { rawValue.uppercased() }
    }

    public var transport: Transport
    public var host: String
    public var port: Int

    public init(transport: Transport, host: String, port: Int) {
        self.transport = transport
        self.host = host
        self.port = port
    }

    /// Parses `TRANSPORT:HOST:PORT`; port 0 lets the system choose (tests).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let transport = Transport(rawValue: parts[0].lowercased()) else {
            throw PhoneError.badListenAddress(text, why: "the form is udp|tcp|tls:HOST:PORT, e.g. udp:127.0.0.1:5062")
        }
        let rest = parts[1]
        let host: Substring, portText: Substring
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { throw PhoneError.badListenAddress(text, why: "the port is missing") }
            portText = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw PhoneError.badListenAddress(text, why: "the port is missing") }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty else { throw PhoneError.badListenAddress(text, why: "the host is missing") }
        guard portText.utf8.count <= 5, let port = Int(portText), (0...65535).contains(port) else {
            throw PhoneError.badListenAddress(text, why: "the port `\(portText)` is not a number from 0 to 65535")
        }
        self.init(transport: transport, host: String(host), port: port)
    }

    public var hostForURI: String { host.contains(":") ? "[\(host)]" : host }
    public var description: String { "\(transport.rawValue):\(hostForURI):\(port)" }
}

/// Problems starting or driving the phone, in words a user can act on.
///
/// No case names a command-line option: the CLI adds its own spelling (`OptionHint`), so the
/// library reads the same from any front end.
public enum PhoneError: Error, Sendable, CustomStringConvertible {
    /// A listen address that does not parse: the text given, and why.
    case badListenAddress(String, why: String)
    /// The configuration has no listen address at all.
    case noListenAddress
    /// A `tls:` listener without its certificate and private key.
    case tlsListenerNeedsCertificate
    case cannotListen(String, String)
    case tls(String)
    case notRunning

    public var description: String {
        switch self {
        case .badListenAddress(let text, let why): return "\(text): \(why)"
        case .noListenAddress: return "give at least one listen address"
        case .tlsListenerNeedsCertificate: return "TLS: a tls: listener needs a certificate and its private key (PEM files)"
        case .cannotListen(let address, let why): return "cannot listen on \(address): \(why)"
        case .tls(let why): return "TLS: \(why)"
        case .notRunning: return "the phone is not running"
        }
    }
}
