import Base

/// One packet record as the capture file holds it.
public struct CapturedFrame: Sendable {
    /// Wireshark's frame number: the 1-based index of the packet in the file.
    public var number: Int
    public var timestamp: Timestamp
    public var linkType: LinkType
    /// Bytes the capture kept (`caplen`); `originalLength` is what was on the wire.
    public var bytes: [UInt8]
    public var originalLength: Int
    /// The pcapng interface, 0 for classic pcap.
    public var interfaceID: Int

    public init(number: Int, timestamp: Timestamp, linkType: LinkType, bytes: [UInt8], originalLength: Int, interfaceID: Int = 0) {
        self.number = number
        self.timestamp = timestamp
        self.linkType = linkType
        self.bytes = bytes
        self.originalLength = originalLength
        self.interfaceID = interfaceID
    }

    /// The snap length cut this packet: whatever it carried is incomplete.
    public var isTruncatedByCapture: Bool { bytes.count < originalLength }
}
