import Base

/// ERSPAN, the mirror sessions of data-centre switches, inside GRE: type I (GRE protocol 0x88be
/// without a sequence number: the mirrored Ethernet frame follows GRE at once), type II (0x88be
/// with a sequence number, an 8-byte header) and type III (0x22eb, a 12-byte header and an
/// optional 8-byte platform sub-header). The layer's identifier is the session ID.
public enum ERSPANDecoder {
    public static let typeIIProtocol: UInt16 = 0x88be
    public static let typeIIIProtocol: UInt16 = 0x22eb

    /// `b`: the bytes after the GRE header.
    public static func decode(_ b: ArraySlice<UInt8>, protocolType: UInt16, greSequence: Bool,
                              source: IPAddress, destination: IPAddress) -> TunnelPeel {
        let s = b.startIndex
        let headerLength: Int
        let kind: TunnelLayer.Kind
        var session: UInt32?
        if protocolType == typeIIProtocol && !greSequence {
            kind = .erspan1
            headerLength = 0
        } else {
            guard let word0 = b.u32be(s) else { return .malformed("ERSPAN header cut short") }
            session = word0 & 0x3ff
            if protocolType == typeIIProtocol {
                kind = .erspan2
                headerLength = 8
            } else {
                kind = .erspan3
                guard let word2 = b.u32be(s + 8) else { return .malformed("ERSPAN header cut short") }
                // The O bit: an 8-byte platform-specific sub-header follows.
                headerLength = word2 & 1 != 0 ? 20 : 12
                // Frame type (bits 10-14 of the third word): 0 is Ethernet, 2 is IP (rare).
                let frameType = (word2 >> 10) & 0x1f
                if frameType != 0 { return .notSIP("ERSPAN type III frame type \(frameType)") }
            }
        }
        guard b.count > headerLength, let frame = NetworkPayload.ethernet(b.dropFirst(headerLength)) else {
            return .malformed("Ethernet inside ERSPAN cut short")
        }
        return .inner(frame, TunnelLayer(kind: kind, id: session, source: source, destination: destination))
    }
}
