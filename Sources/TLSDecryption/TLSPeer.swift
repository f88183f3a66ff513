/// Which end of a TLS connection sent a record.
public enum TLSPeer: Int, Sendable, Hashable, CustomStringConvertible {
    case client = 0, server = 1

    public var other: TLSPeer { self == .client ? .server : .client }
    public var description: String { self == .client ? "client" : "server" }
}
