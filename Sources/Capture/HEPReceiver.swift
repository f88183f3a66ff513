#if canImport(Glibc)
import Glibc
#endif
import Base

/// Why a HEP listener could not start: one line for the user (exit status 2).
public struct HEPReceiverError: Error, Sendable, CustomStringConvertible {
    public var listener: String
    public var why: String
    public var description: String { "\(listener): \(why)" }
}

/// The collector's sockets, at the edge: UDP sockets and TCP listeners bound to `--hep` addresses,
/// non-blocking, read by one `poll` so the caller keeps its clock and signals. Hands out raw bytes
/// and who sent them; decoding is `HEPCollector`'s (pure). Counts what it could not take: datagrams
/// the kernel dropped (SO_RXQ_OVFL), datagrams cut by our buffer, connections refused over the bound.
public final class HEPReceiver {
    public enum Arrival {
        case datagram([UInt8], from: Endpoint)
        case stream([UInt8], connection: Int, from: Endpoint)
        case streamClosed(connection: Int, from: Endpoint)
    }

    private struct Socket { var fd: Int32; var listen: HEPListenAddress; var kind: Kind; var peer: Endpoint?; var id: Int }
    private enum Kind { case udp, tcpListener, tcpConnection }

    public let listeners: [HEPListenAddress]
    /// What the kernel granted per UDP socket (getsockopt SO_RCVBUF, which counts its bookkeeping too).
    public private(set) var receiveBuffers: [(HEPListenAddress, Int)] = []
    /// Datagrams the kernel dropped because the socket buffer was full: SO_RXQ_OVFL comes with
    /// each datagram read, so drops after the last one read are only in /proc/net/udp's drops
    /// column (found by the socket's inode): the larger of the two.
    public var kernelDrops: Int { max(overflow.values.reduce(0, +), procDrops()) }

    private func procDrops() -> Int {
        var inodes: Set<String> = []
        for s in sockets where s.kind == .udp {
            var st = stat()
            if fstat(s.fd, &st) == 0 { inodes.insert(String(st.st_ino)) }
        }
        guard !inodes.isEmpty else { return 0 }
        var total = 0
        for path in ["/proc/net/udp", "/proc/net/udp6"] {
            guard let f = fopen(path, "r") else { continue }
            defer { fclose(f) }
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            while getline(&line, &capacity, f) > 0 {
                let fields = String(cString: line!).split(whereSeparator: { $0 == " " || $0 == "\n" })
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
                if fields.count >= 13, inodes.contains(String(fields[9])), let d = Int(fields[fields.count - 1]) {
                    total += d
                }
            }
            free(line)
        }
        return total
    }
    /// Datagrams longer than a HEP packet can be (65535): cut, so not read.
    public private(set) var truncatedDatagrams = 0
    /// TCP connections refused because `maxConnections` were open.
    public private(set) var refusedConnections = 0
    public static let maxConnections = 256

    private var sockets: [Socket] = []
    private var overflow: [Int32: Int] = [:]
    private var nextConnection = 1
    private var buffer = [UInt8](repeating: 0, count: 65536 + 1)

    /// `receiveBuffer`: asked per UDP socket (the kernel doubles it). A HEP packet of a SIP message
    /// takes about 2.3 KB of buffer on Linux (its bookkeeping counts), so 64 MiB holds half a
    /// second of a 50,000-packets/s fleet while the collector is busy: bursts wait in the kernel,
    /// not in the collector's memory.
    public init(listeners: [HEPListenAddress], receiveBuffer: Int = 64 << 20) throws {
        self.listeners = listeners
        do {
            for l in listeners { try open(l, receiveBuffer: receiveBuffer) }
        } catch {
            sockets.forEach { close($0.fd) }
            throw error
        }
    }

    deinit { sockets.forEach { close($0.fd) } }

    private func open(_ l: HEPListenAddress, receiveBuffer: Int) throws {
        let family = l.address.isIPv6 ? AF_INET6 : AF_INET
        let type = l.transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let fd = socket(family, type | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HEPReceiverError(listener: l.description, why: String(cString: strerror(errno))) }
        var one: Int32 = 1
        // TCP only: a restarted collector rebinds past TIME_WAIT. Not UDP, where a second collector
        // on the same port would silently take part of the datagrams.
        if l.transport == .tcp { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
        if family == AF_INET6 { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) }
        if l.transport == .udp {
            // Bursts from a fleet outrun one reader for a moment: a big buffer rides them out.
            // SO_RCVBUFFORCE passes rmem_max when we are root; otherwise the kernel caps SO_RCVBUF.
            var size = Int32(clamping: receiveBuffer)
            if setsockopt(fd, SOL_SOCKET, Self.soRcvBufForce, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            var granted: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &len)
            receiveBuffers.append((l, Int(granted)))
            setsockopt(fd, SOL_SOCKET, Self.soRxqOvfl, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var storage = sockaddr_storage()
        let length = SocketAddress.fill(&storage, address: l.address, port: l.port)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HEPReceiverError(listener: l.description, why: "cannot bind: \(why)")
        }
        if l.transport == .tcp, listen(fd, 64) != 0 {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HEPReceiverError(listener: l.description, why: "cannot listen: \(why)")
        }
        sockets.append(Socket(fd: fd, listen: l, kind: l.transport == .udp ? .udp : .tcpListener, peer: nil, id: 0))
    }

    /// SO_RXQ_OVFL (Linux): each datagram comes with the socket's count of drops so far.
    static let soRxqOvfl: Int32 = 40
    /// SO_RCVBUFFORCE (Linux): SO_RCVBUF past rmem_max, for CAP_NET_ADMIN.
    static let soRcvBufForce: Int32 = 33

    /// Waits up to `timeoutMs` for bytes, then hands out what is ready, at most `limit` arrivals
    /// so a flood cannot starve the caller's clock and signal checks.
    /// Returns how many arrivals it handed out.
    @discardableResult
    public func poll(timeoutMs: Int32, limit: Int = 20_000, onArrival: (Arrival) -> Void) -> Int {
        var fds = sockets.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        guard Glibc.poll(&fds, nfds_t(fds.count), timeoutMs) > 0 else { return 0 }
        var handed = 0
        var closed: Set<Int32> = []
        var accepted: [Socket] = []
        for (i, p) in fds.enumerated() where p.revents != 0 {
            let s = sockets[i]
            switch s.kind {
            case .udp: handed += drainDatagrams(s.fd, limit: limit - handed, onArrival)
            case .tcpListener: accepted += acceptAll(s)
            case .tcpConnection:
                let n = recv(s.fd, &buffer, 65536, 0)
                if n > 0 {
                    handed += 1
                    onArrival(.stream(Array(buffer[0..<n]), connection: s.id, from: s.peer!))
                } else if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    closed.insert(s.fd)
                    onArrival(.streamClosed(connection: s.id, from: s.peer!))
                }
            }
            if handed >= limit { break }
        }
        if !closed.isEmpty {
            closed.forEach { close($0) }
            sockets.removeAll { closed.contains($0.fd) }
        }
        sockets += accepted
        return handed + accepted.count
    }

    private func drainDatagrams(_ fd: Int32, limit: Int, _ onArrival: (Arrival) -> Void) -> Int {
        var handed = 0
        var storage = sockaddr_storage()
        var control = [UInt64](repeating: 0, count: 8)
        while handed < limit {
            let n: Int = buffer.withUnsafeMutableBytes { buf in
                control.withUnsafeMutableBytes { ctl in
                    withUnsafeMutablePointer(to: &storage) { addr in
                        var iov = iovec(iov_base: buf.baseAddress, iov_len: buf.count)
                        return withUnsafeMutablePointer(to: &iov) { iovp in
                            var msg = msghdr()
                            msg.msg_name = UnsafeMutableRawPointer(addr)
                            msg.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                            msg.msg_iov = iovp
                            msg.msg_iovlen = 1
                            msg.msg_control = ctl.baseAddress
                            msg.msg_controllen = ctl.count
                            let r = recvmsg(fd, &msg, Int32(MSG_DONTWAIT))
                            if r >= 0 { readOverflow(fd, ctl, Int(msg.msg_controllen)) }
                            return r
                        }
                    }
                }
            }
            if n < 0 { break }
            handed += 1
            if n > 65535 { truncatedDatagrams += 1; continue }
            onArrival(.datagram(Array(buffer[0..<n]), from: SocketAddress.endpoint(storage)))
        }
        return handed
    }

    /// The control messages of one datagram: cmsghdr is (size_t len, int level, int type), data
    /// 8-aligned after it.
    private func readOverflow(_ fd: Int32, _ ctl: UnsafeMutableRawBufferPointer, _ length: Int) {
        var off = 0
        while off + 16 <= min(length, ctl.count) {
            let len = Int(ctl.load(fromByteOffset: off, as: Int.self))
            let level = ctl.load(fromByteOffset: off + 8, as: Int32.self)
            let type = ctl.load(fromByteOffset: off + 12, as: Int32.self)
            guard len >= 16 else { return }
            if level == SOL_SOCKET, type == Self.soRxqOvfl, len >= 20 {
                overflow[fd] = Int(ctl.load(fromByteOffset: off + 16, as: UInt32.self))
            }
            off += (len + 7) & ~7
        }
    }

    private func acceptAll(_ listener: Socket) -> [Socket] {
        var out: [Socket] = []
        while true {
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener.fd, $0, &len) }
            }
            if fd < 0 { return out }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if sockets.count + out.count >= Self.maxConnections + listeners.count {
                refusedConnections += 1
                close(fd)
                continue
            }
            out.append(Socket(fd: fd, listen: listener.listen, kind: .tcpConnection, peer: SocketAddress.endpoint(storage), id: nextConnection))
            nextConnection += 1
        }
    }
}

/// sockaddr_in / sockaddr_in6 to and from `Endpoint`.
enum SocketAddress {
    static func fill(_ storage: inout sockaddr_storage, address: IPAddress, port: UInt16) -> socklen_t {
        withUnsafeMutableBytes(of: &storage) { raw in
            let bytes = address.bytes
            if address.isIPv6 {
                raw.storeBytes(of: sa_family_t(AF_INET6), toByteOffset: 0, as: sa_family_t.self)
                raw.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
                for (i, b) in bytes.enumerated() { raw[8 + i] = b }
                return socklen_t(MemoryLayout<sockaddr_in6>.size)
            }
            raw.storeBytes(of: sa_family_t(AF_INET), toByteOffset: 0, as: sa_family_t.self)
            raw.storeBytes(of: port.bigEndian, toByteOffset: 2, as: UInt16.self)
            for (i, b) in bytes.enumerated() { raw[4 + i] = b }
            return socklen_t(MemoryLayout<sockaddr_in>.size)
        }
    }

    static func endpoint(_ storage: sockaddr_storage) -> Endpoint {
        withUnsafeBytes(of: storage) { raw in
            let family = raw.load(fromByteOffset: 0, as: sa_family_t.self)
            let port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            if Int32(family) == AF_INET6 { return Endpoint(address: IPAddress(raw[8..<24]), port: port) }
            return Endpoint(address: IPAddress(raw[4..<8]), port: port)
        }
    }
}
