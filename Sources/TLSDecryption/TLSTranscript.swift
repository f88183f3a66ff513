import Crypto

/// The running hash of the handshake messages up to ClientKeyExchange: the session hash of an
/// extended master secret (RFC 7627). Both hashes run, as the suite is chosen after ClientHello.
struct TLSTranscript {
    private var sha256 = SHA256()
    private var sha384 = SHA384()
    private(set) var closed = false

    mutating func add(_ message: ArraySlice<UInt8>) {
        guard !closed else { return }
        sha256.update(data: message)
        sha384.update(data: message)
    }

    /// Ends the transcript and gives its hash.
    mutating func finish(_ hash: TLSHash) -> [UInt8] {
        closed = true
        switch hash {
        case .sha384: return Array(sha384.finalize())
        default: return Array(sha256.finalize())
        }
    }
}
