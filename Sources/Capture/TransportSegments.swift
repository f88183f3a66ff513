import Base

/// A UDP datagram's payload: one SIP message at most.
public struct UDPDatagram: Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var payload: ArraySlice<UInt8>
    public var frames: [Int]
    public var isTruncatedByCapture: Bool
    /// The tunnels it came through; nil for a plain packet.
    public var tunnel: TunnelPath? = nil
}

/// One TCP segment, before reassembly.
public struct TCPSegment: Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var sequence: UInt32
    public var acknowledgment: UInt32
    public var syn: Bool
    public var ack: Bool
    public var fin: Bool
    public var rst: Bool
    public var payload: ArraySlice<UInt8>
    /// What the segment really carried; more than `payload.count` when the capture cut it.
    public var payloadLength: Int
    public var frame: Int
    /// The tunnels it came through: part of its flow's key. nil for a plain packet.
    public var tunnel: TunnelPath? = nil
}

/// An ICMP or ICMPv6 "unreachable" that names the packet it answers: often the whole story
/// of a MESSAGE nobody answered.
public struct ICMPUnreachable: Sendable {
    public var reporter: IPAddress
    /// What could not be reached, as the quoted packet had it.
    public var originalSource: Endpoint
    public var originalDestination: Endpoint
    public var originalTransport: UInt8
    /// "port unreachable", "host unreachable"…
    public var reason: String
    public var frame: Int
}
