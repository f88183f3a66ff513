/// How the sender talks: timers, local address, TLS trust. One value, set once.
public struct SenderConfiguration: Sendable {
    public var timers: SIPTimers
    /// Local address to send from (`0.0.0.0`/`::` when nil, the system picks the interface).
    public var localAddress: String?
    /// Local port (ephemeral when nil). With a fixed port, UDP and one TCP connection share it.
    public var localPort: Int?
    public var tls: TLSOptions
    /// How long a TCP/TLS connect (and handshake) may take before it is an error.
    public var connectTimeout: Double
    /// Written in `User-Agent` of every request.
    public var userAgent: String
    /// Called with every log entry as it happens (for live output); the log keeps them too.
    public var onLog: (@Sendable (SenderLogEntry) -> Void)?
    /// Keep TLS connections' encrypted bytes too (`SenderLog.wire`), for a recording.
    public var recordsTLSWire = false

    public init(timers: SIPTimers = .rfc3261, localAddress: String? = nil, localPort: Int? = nil,
                tls: TLSOptions = TLSOptions(), connectTimeout: Double = 10, userAgent: String = "ButtonScope",
                onLog: (@Sendable (SenderLogEntry) -> Void)? = nil) {
        self.timers = timers
        self.localAddress = localAddress
        self.localPort = localPort
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        self.onLog = onLog
    }
}

/// Whom a TLS connection trusts.
public struct TLSOptions: Sendable {
    /// PEM file of the CA(s) that signed the phone's certificate; the system store when nil.
    public var caFile: String?
    /// Accept any certificate (lab phones with self-signed certificates).
    public var insecure: Bool
    /// Name to check in the certificate and send as SNI; the target host when nil (for an IP
    /// address: the certificate's IP addresses are checked against it).
    public var serverName: String?
    /// Where the session keys go (`--tls-keylog`, SSLKEYLOGFILE, and `--record`'s embedded keys).
    public var keyLog: TLSKeyLogSink?

    public init(caFile: String? = nil, insecure: Bool = false, serverName: String? = nil, keyLog: TLSKeyLogSink? = nil) {
        self.caFile = caFile
        self.insecure = insecure
        self.serverName = serverName
        self.keyLog = keyLog
    }
}
