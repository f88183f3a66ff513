#if canImport(Glibc)
import Glibc
#endif
import Base
import CPcap

/// Why a live capture could not start: each is one line for the user (exit status 2).
public enum LiveCaptureError: Error, CustomStringConvertible, Sendable {
    case noSuchInterface(String, detail: String)
    case permissionDenied(String, detail: String)
    case badFilter(String, detail: String)
    case cannotWrite(String, detail: String)
    case failed(String, detail: String)

    public var description: String {
        switch self {
        case let .noSuchInterface(i, d): return "\(i): no such interface" + (d.isEmpty ? "" : " (\(d))")
        case let .permissionDenied(i, d): return "\(i): permission denied: capturing needs root or CAP_NET_RAW" + (d.isEmpty ? "" : " (\(d))")
        case let .badFilter(f, d): return "filter \(f): \(d)"
        case let .cannotWrite(p, d): return "\(p): cannot write: \(d)"
        case let .failed(i, d): return "\(i): cannot capture: \(d)"
        }
    }
}

/// Frames from a live interface through libpcap, numbered like a file (1, 2, 3…) so the rest of
/// the pipeline cannot tell them from a capture being read. Non-blocking: `poll` waits on the
/// descriptor with a timeout, so the caller can check its clock and signals between packets.
public final class LiveCapture {
    public let interface: String
    /// The interface's link type as libpcap reports it (DLT, equal to LINKTYPE for those we decode).
    public let linkType: LinkType
    public static let snapLength: Int32 = 262_144

    private let handle: OpaquePointer
    private var dumper: OpaquePointer?
    private var frameNumber = 0
    private var unflushed = false

    public init(interface: String, filter: String?) throws {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let p = pcap_create(interface, &errbuf) else {
            throw LiveCaptureError.failed(interface, detail: String(cString: errbuf))
        }
        pcap_set_snaplen(p, Self.snapLength)
        pcap_set_promisc(p, 0)
        pcap_set_immediate_mode(p, 1)
        pcap_set_timeout(p, 100)
        let status = pcap_activate(p)
        if status < 0 {
            let detail = String(cString: pcap_geterr(p))
            pcap_close(p)
            switch status {
            case PCAP_ERROR_NO_SUCH_DEVICE: throw LiveCaptureError.noSuchInterface(interface, detail: detail)
            case PCAP_ERROR_PERM_DENIED: throw LiveCaptureError.permissionDenied(interface, detail: detail)
            default: throw LiveCaptureError.failed(interface, detail: detail)
            }
        }
        // Stored properties are set last: once they are, a throw would run deinit and close `p` twice.
        if let filter {
            var program = bpf_program()
            if pcap_compile(p, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 {
                let detail = String(cString: pcap_geterr(p))
                pcap_close(p)
                throw LiveCaptureError.badFilter(filter, detail: detail)
            }
            defer { pcap_freecode(&program) }
            if pcap_setfilter(p, &program) != 0 {
                let detail = String(cString: pcap_geterr(p))
                pcap_close(p)
                throw LiveCaptureError.badFilter(filter, detail: detail)
            }
        }
        if pcap_setnonblock(p, 1, &errbuf) != 0 {
            pcap_close(p)
            throw LiveCaptureError.failed(interface, detail: String(cString: errbuf))
        }
        handle = p
        self.interface = interface
        linkType = LinkType(UInt32(bitPattern: pcap_datalink(p)))
    }

    deinit {
        closeDump()
        pcap_close(handle)
    }

    /// Keeps every captured packet in a classic pcap file too (`-w`), as libpcap writes it.
    public func dump(to path: String) throws {
        guard let d = pcap_dump_open(handle, path) else {
            throw LiveCaptureError.cannotWrite(path, detail: String(cString: pcap_geterr(handle)))
        }
        dumper = d
    }

    /// Flushes and closes the `-w` file; safe to call twice.
    public func closeDump() {
        guard let d = dumper else { return }
        pcap_dump_flush(d)
        pcap_dump_close(d)
        dumper = nil
    }

    /// Waits up to `timeoutMs` for packets, then hands out every one ready. Returns false when
    /// the capture broke (the interface went away).
    public func poll(timeoutMs: Int32, onFrame: (CapturedFrame) -> Void) -> Bool {
        var pfd = pollfd(fd: pcap_get_selectable_fd(handle), events: Int16(POLLIN), revents: 0)
        if pfd.fd >= 0 { _ = Glibc.poll(&pfd, 1, timeoutMs) }
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        // Bounded per call so a flood cannot starve the caller's clock and signal checks.
        for _ in 0..<10_000 {
            let r = pcap_next_ex(handle, &header, &data)
            if r == 0 { break }
            if r < 0 { flushDump(); return false }
            guard let h = header, let bytes = data else { break }
            if let d = dumper {
                pcap_dump(UnsafeMutableRawPointer(d).assumingMemoryBound(to: UInt8.self), h, bytes)
                unflushed = true
            }
            frameNumber += 1
            let caplen = Int(h.pointee.caplen)
            let ts = Timestamp(seconds: Int64(h.pointee.ts.tv_sec), nanoseconds: Int64(h.pointee.ts.tv_usec) * 1000)
            onFrame(CapturedFrame(number: frameNumber, timestamp: ts, linkType: linkType,
                                  bytes: Array(UnsafeBufferPointer(start: bytes, count: caplen)),
                                  originalLength: max(Int(h.pointee.len), caplen)))
        }
        flushDump()
        return true
    }

    private func flushDump() {
        if unflushed, let d = dumper { pcap_dump_flush(d); unflushed = false }
    }

    /// Packets the kernel dropped because we were too slow (the buffer filled).
    public var droppedByKernel: Int {
        var stats = pcap_stat()
        return pcap_stats(handle, &stats) == 0 ? Int(stats.ps_drop) : 0
    }
}
