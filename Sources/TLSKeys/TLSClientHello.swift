/// The client random of a TLS ClientHello: the 32 bytes that name a connection in a key log
/// (`CLIENT_RANDOM <random> …`). Enough of the handshake to pick a connection's key log lines
/// for `export` and `--record`; the TLS stage itself reads the full handshake.
public enum TLSClientHello {
    /// The client random when `bytes` (the first bytes the client sent on a connection) start
    /// with a handshake record holding a ClientHello; nil otherwise.
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    public static func clientRandom<C: Collection>(_ bytes: C) -> [UInt8]? where C.Element == UInt8, C.Index == Int {
        let s = bytes.startIndex
        // Record: type 22 (handshake), version 3.x, length; handshake: type 1 (ClientHello),
        // 3-byte length, client_version (2), random (32).
        guard bytes.count >= 43, bytes[s] == 22, bytes[s + 1] == 3, bytes[s + 5] == 1 else { return nil }
        let recordLength = Int(bytes[s + 3]) << 8 | Int(bytes[s + 4])
        guard recordLength >= 38 else { return nil }
        return Array(bytes[(s + 11)..<(s + 43)])
    }
}
