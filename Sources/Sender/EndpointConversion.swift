#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Base
import NIOCore

extension Endpoint {
    /// A NIO socket address as the capture model's endpoint (for logs and pcap records).
    public init(_ address: SocketAddress?) {
        guard let address, let ip = address.ipAddress, let port = address.port else {
            self.init(address: IPAddress([0, 0, 0, 0]), port: 0)
            return
        }
        self.init(address: IPAddress(Endpoint.parseIP(ip) ?? [0, 0, 0, 0]), port: UInt16(clamping: port))
    }

    /// `192.0.2.1` or `2001:db8::1` to its bytes; nil when not an IP literal.
    static func parseIP(_ text: String) -> [UInt8]? {
        var host = text
        if let pct = host.firstIndex(of: "%") { host = String(host[..<pct]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
