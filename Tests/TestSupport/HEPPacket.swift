/// HEP3 (EEP v3) packets as capture agents send them: "HEP3", the total length, then chunks of
/// vendor, type, length, value (the HEP3 specification's layout), written here field by field.
public enum HEPPacket {
    public static func chunk(_ type: UInt16, _ data: [UInt8], vendor: UInt16 = 0) -> [UInt8] {
        be16(vendor) + be16(type) + be16(UInt16(truncatingIfNeeded: 6 + data.count)) + data
    }

    /// SIP over UDP/IPv4 between the original endpoints `source:sourcePort → destination:destinationPort`,
    /// at `seconds`+`micros`, from capture agent `node`: `vendorChunks`, then the correlation ID
    /// (chunk 17), then `extra`, then the payload (chunk 15, or 16 when `compressed`).
    public static func v3(_ payload: [UInt8], source: [UInt8] = [10, 9, 0, 1], sourcePort: UInt16 = 5060,
                          destination: [UInt8] = [10, 9, 0, 2], destinationPort: UInt16 = 5062,
                          seconds: UInt32, micros: UInt32 = 0, node: UInt32, vendorChunks: [UInt8] = [],
                          correlation: String? = nil, extra: [UInt8] = [], compressed: Bool = false) -> [UInt8] {
        var body = chunk(1, [2]) + chunk(2, [17]) + chunk(3, source) + chunk(4, destination)
            + chunk(7, be16(sourcePort)) + chunk(8, be16(destinationPort)) + chunk(9, be32(seconds))
            + chunk(10, be32(micros)) + chunk(11, [1]) + chunk(12, be32(node)) + vendorChunks
        if let correlation { body += chunk(17, Array(correlation.utf8)) }
        body += extra + chunk(compressed ? 16 : 15, payload)
        return Array("HEP3".utf8) + be16(UInt16(truncatingIfNeeded: 6 + body.count)) + body
    }
}
