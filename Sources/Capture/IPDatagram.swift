import Base

/// A whole IP datagram's transport payload, possibly rebuilt from fragments.
public struct IPDatagram {
    public var source: IPAddress
    public var destination: IPAddress
    /// The transport protocol (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).
    public var transport: UInt8
    public var payload: ArraySlice<UInt8>
    /// Frames the datagram came in: one, or every fragment's.
    public var frames: [Int]
    /// The capture's snap length cut some of it.
    public var isTruncatedByCapture: Bool
    /// The payload length the IP header declared: larger than `payload.count` when cut.
    public var declaredLength: Int
    /// The tunnels it came through; nil for a plain packet.
    public var tunnel: TunnelPath? = nil
}

/// One fragment, waiting for its siblings in the `IPDefragmenter`.
public struct IPFragment {
    public struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var identification: UInt32
        var transport: UInt8
        /// Two tunnels may carry fragments with the same addresses and id: keep them apart.
        var tunnel: TunnelPath? = nil
    }
    public var key: Key
    /// Byte offset of this fragment's data in the rebuilt payload.
    public var offset: Int
    public var moreFragments: Bool
    public var bytes: ArraySlice<UInt8>
    public var isTruncatedByCapture: Bool
}
