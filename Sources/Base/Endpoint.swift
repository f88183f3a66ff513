/// An IPv4 or IPv6 address, kept inline (two words and a length) so decoding a packet allocates
/// nothing for its addresses, and hashing and comparing stay cheap.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    private var high: UInt64 = 0
    private var low: UInt64 = 0
    /// 4 or 16 (at most 16 bytes are kept).
    private var length: UInt8 = 0

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }
    // Specialized here for the callers in other modules: a generic called across a module boundary
    // runs unspecialized (it made every command two to three times slower once SIPCapture left SIP).
    @_specialize(exported: true, where C == ArraySlice<UInt8>)
    @_specialize(exported: true, where C == [UInt8])
    @_specialize(exported: true, where C == Slice<UnsafeRawBufferPointer>)
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        var i = 0
        for b in bytes.prefix(16) {
            if i < 8 { high |= UInt64(b) << UInt64(56 - 8 * i) } else { low |= UInt64(b) << UInt64(56 - 8 * (i - 8)) }
            i += 1
        }
        length = UInt8(i)
    }

    /// The address's bytes in network order.
    public var bytes: [UInt8] {
        get {
            var out: [UInt8] = []
            out.reserveCapacity(Int(length))
            for i in 0..<Int(length) {
                let word = i < 8 ? high : low
                let shift = UInt64(56 - 8 * (i % 8))
                out.append(UInt8(truncatingIfNeeded: word >> shift))
            }
            return out
        }
        set { self = IPAddress(newValue) }
    }

    public var isIPv6: Bool { length == 16 }

    /// A fixed total order (length, then bytes), for deterministic tie-breaking.
    public func precedes(_ other: IPAddress) -> Bool {
        (length, high, low) < (other.length, other.high, other.low)
    }

    /// IPv4 as dotted decimal, with `:port` when given, written digit by digit: every message
    /// line and JSON record shows two endpoints, and interpolating five numbers cost more than
    /// the rest of the line.
    func dotted(port: UInt16?) -> String {
        String(unsafeUninitializedCapacity: 21) { dotted(port: port, into: $0) }
    }

    /// The dotted quad (and `:port`) written into `out` (21 bytes at most); returns the length.
    func dotted(port: UInt16?, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let v = high >> 32
        var i = 0
        func put(_ n: Int) {
            if n >= 10_000 { out[i] = 0x30 + UInt8(n / 10_000); i += 1 }
            if n >= 1_000 { out[i] = 0x30 + UInt8(n / 1_000 % 10); i += 1 }
            if n >= 100 { out[i] = 0x30 + UInt8(n / 100 % 10); i += 1 }
            if n >= 10 { out[i] = 0x30 + UInt8(n / 10 % 10); i += 1 }
            out[i] = 0x30 + UInt8(n % 10); i += 1
        }
        put(Int(v >> 24 & 0xff)); out[i] = 0x2e; i += 1
        put(Int(v >> 16 & 0xff)); out[i] = 0x2e; i += 1
        put(Int(v >> 8 & 0xff)); out[i] = 0x2e; i += 1
        put(Int(v & 0xff))
        if let port { out[i] = 0x3a; i += 1; put(Int(port)) }
        return i
    }

    public var description: String {
        if length == 4 { return dotted(port: nil) }
        let bytes = self.bytes
        guard bytes.count == 16 else { return "?" }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        // RFC 5952: compress the longest run (length ≥ 2) of zero groups.
        var bestStart = -1, bestLen = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLen { bestStart = runStart; bestLen = i - runStart }
                runStart = -1
            }
        }
        if bestLen < 2 { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
        let head = groups[0..<bestStart].map { String($0, radix: 16) }.joined(separator: ":")
        let tail = groups[(bestStart + bestLen)...].map { String($0, radix: 16) }.joined(separator: ":")
        return head + "::" + tail
    }
}

/// An address and port: `ip:port`, IPv6 in brackets, as the JSON output writes it.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public var description: String {
        address.isIPv6 ? "[\(address)]:\(port)" : address.dotted(port: port)
    }

    /// `description`'s bytes appended to `out`, without making the string: a live collector's
    /// every event names endpoints.
    public func appendDescription(to out: inout [UInt8]) {
        guard !address.isIPv6 else { out.append(contentsOf: description.utf8); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            let n = address.dotted(port: port, into: buffer)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    public func precedes(_ other: Endpoint) -> Bool {
        address != other.address ? address.precedes(other.address) : port < other.port
    }
}
