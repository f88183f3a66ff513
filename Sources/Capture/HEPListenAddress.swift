import Base

/// Where a HEP collector listens: `udp:ADDR:PORT` or `tcp:ADDR:PORT`, IPv6 as `udp:[::1]:9060`
/// (brackets optional when unambiguous: the last colon is the port's). Parsed without touching a socket.
public struct HEPListenAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: String, Sendable { case udp, tcp }
    public var transport: Transport
    public var address: IPAddress
    public var port: UInt16

    public init(transport: Transport, address: IPAddress, port: UInt16) {
        self.transport = transport
        self.address = address
        self.port = port
    }

    public static func parse(_ text: String) -> Result<HEPListenAddress, HEPListenAddressError> {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let transport = Transport(rawValue: parts[0].lowercased()) else {
            return .failure(.init(text: text, why: "it must start with udp: or tcp:"))
        }
        let rest = String(parts[1])
        guard let colon = rest.lastIndex(of: ":") else { return .failure(.init(text: text, why: "no port (udp:ADDR:PORT)")) }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
            return .failure(.init(text: text, why: "the port must be a number from 1 to 65535"))
        }
        guard let address = IPAddressText.parse(host) else {
            return .failure(.init(text: text, why: "\"\(host)\" is not an IPv4 or IPv6 address"))
        }
        return .success(HEPListenAddress(transport: transport, address: address, port: port))
    }

    public var description: String {
        "\(transport.rawValue):" + (address.isIPv6 ? "[\(address)]" : "\(address)") + ":\(port)"
    }
}

public struct HEPListenAddressError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var why: String
    public var description: String { "\(text): \(why)" }
}

/// Numeric IPv4 and IPv6 addresses from text (no name lookup: a collector binds what it is told).
public enum IPAddressText {
    public static func parse(_ s: String) -> IPAddress? {
        if s.contains(":") { return v6(s) }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, let b = UInt8(p) else { return nil }
            bytes.append(b)
        }
        return IPAddress(bytes)
    }

    private static func v6(_ s: String) -> IPAddress? {
        let chars = Array(s)
        var halves: [String] = []
        var current = "", i = 0
        while i < chars.count {
            if chars[i] == ":", i + 1 < chars.count, chars[i + 1] == ":" { halves.append(current); current = ""; i += 2; continue }
            current.append(chars[i]); i += 1
        }
        halves.append(current)
        guard halves.count <= 2 else { return nil }
        func groups(_ t: String) -> [UInt16]? {
            if t.isEmpty { return [] }
            var out: [UInt16] = []
            for g in t.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return IPAddress(all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] })
    }
}
