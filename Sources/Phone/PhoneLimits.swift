import NIOCore

/// What the emulated phone holds at most, whatever its peers send: a real Snom has a fixed number
/// of keys and little memory, and an emulator on a desk must not be the thing a stray script
/// fills. Every limit reached is reported (a `dropped` event), never silent.
public struct PhoneLimits: Sendable {
    /// Keys one phone keeps: a Snom D785 with three expansion modules has well under this.
    public var maxKeys = 256
    /// Key descriptions applied from one document; the rest are ignored (and reported).
    public var maxDescriptionsPerDocument = 256
    /// A key name longer than this names no key a phone has.
    public var maxKeyNameBytes = 64
    /// Largest request body taken (413 Request Entity Too Large beyond): a full initial state
    /// with expansion modules is a few KiB.
    public var maxBodyBytes = 64 << 10
    /// Largest header section on a stream before the connection is closed.
    public var maxHeaderBytes = 16 << 10
    /// Open TCP/TLS connections at once; more are closed as they arrive.
    public var maxConnections = 128
    /// Bytes all connections may hold for partial messages together (buffers as allocated).
    public var maxPartialBytesTotal = 16 << 20
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// At the file-descriptor limit (accept fails), accepting pauses this long instead of spinning
    /// (`PhoneAcceptPause`).
    public var acceptBackoff: TimeAmount = .seconds(1)

    public init() {}
}
