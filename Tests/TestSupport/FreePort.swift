#if canImport(Glibc)
import Glibc
#endif

/// A loopback port nothing listens on right now (bound with port 0, read back, released): the
/// servers a test starts bind it next.
public enum FreePort {
    public static func udp(on address: String = "127.0.0.1") throws -> Int { try find(address, udp: true) }
    public static func tcp(on address: String = "127.0.0.1") throws -> Int { try find(address, udp: false) }

    static func find(_ address: String, udp: Bool) throws -> Int {
        let fd = socket(AF_INET, udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr(address)
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw TestFailure("bind() on \(address) failed") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
