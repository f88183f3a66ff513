import Capture
import TLSKeys

/// A capture to read and the keys to read it with: what every pipeline run starts from. The CLI
/// builds it from its arguments (`CaptureArgument.source`); a test or a server builds it directly.
public struct CaptureSource {
    /// A pcap or pcapng file, or `-` for stdin.
    public var path: String
    /// TLS keys given from outside (a key log, RSA keys); the capture's own are added as read.
    public var tlsSecrets: TLSSecrets
    /// The key log the secrets came from, for "keys missing" advice.
    public var keyLog: KeyLogSource?
    /// How diagnostics name the keys that would unlock a TLS connection (the CLI's options).
    public var tlsRemedy: TLSKeyRemedy = .words
    /// Told the bytes read so far as frames are read, then nil once at the end: the CLI's progress
    /// bar, kept out of the pipeline so that it prints nothing.
    public var progress: ((Int?) -> Void)?

    public init(path: String, tlsSecrets: TLSSecrets = TLSSecrets(), keyLog: KeyLogSource? = nil, progress: ((Int?) -> Void)? = nil) {
        self.path = path
        self.tlsSecrets = tlsSecrets
        self.keyLog = keyLog
        self.progress = progress
    }
}
