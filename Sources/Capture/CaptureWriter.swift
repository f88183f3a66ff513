#if canImport(Glibc)
import Glibc
#endif
import TLSKeys

/// Writes frames to a new capture file as they were read: same bytes, same lengths, same
/// timestamps. Classic pcap when every frame has one link type; pcapng when they differ
/// (several interfaces), each interface described the first time a frame uses it.
public final class CaptureWriter {
    public enum Format: Sendable {
        /// `nanosecond`: the nanosecond magic; else microseconds, as most files are written.
        case pcap(LinkType, nanosecond: Bool)
        case pcapng
    }

    private let fd: Int32
    private let format: Format
    private var pending: [UInt8] = []
    /// pcapng: (source interface, link type) → interface index in the new file.
    private var interfaces: [InterfaceKey: UInt32] = [:]
    public private(set) var framesWritten = 0

    struct InterfaceKey: Hashable { var id: Int; var linkType: UInt32 }

    /// `tlsKeyLog` (pcapng only): NSS key log lines written as a Decryption Secrets Block before
    /// any packet, so the file carries the keys that unlock its TLS connections.
    public init(path: String, format: Format, tlsKeyLog: String? = nil) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.format = format
        switch format {
        case .pcap(let link, let nanosecond):
            pending += Self.le32(nanosecond ? 0xa1b2_3c4d : 0xa1b2_c3d4) + Self.le16(2) + Self.le16(4) + Self.le32(0) + Self.le32(0)
                + Self.le32(262_144) + Self.le32(link.rawValue)
        case .pcapng:
            var shb = Self.le32(0x1a2b_3c4d) + Self.le16(1) + Self.le16(0)
            shb += Self.le32(0xffff_ffff) + Self.le32(0xffff_ffff) // section length unknown
            pending += Self.block(type: 0x0a0d_0d0a, body: shb)
            if let tlsKeyLog, !tlsKeyLog.isEmpty { pending += DecryptionSecretsBlock.encode(keyLog: tlsKeyLog) }
        }
    }

    deinit { close(fd) }

    public func write(_ frame: CapturedFrame) throws {
        let nanos = UInt64(max(0, frame.timestamp.seconds)) &* 1_000_000_000 &+ UInt64(max(0, frame.timestamp.nanoseconds))
        switch format {
        case .pcap(_, let nanosecond):
            let fraction = nanosecond ? frame.timestamp.nanoseconds : frame.timestamp.nanoseconds / 1000
            pending += Self.le32(UInt32(truncatingIfNeeded: frame.timestamp.seconds))
                + Self.le32(UInt32(truncatingIfNeeded: fraction))
                + Self.le32(UInt32(frame.bytes.count)) + Self.le32(UInt32(clamping: frame.originalLength))
            pending += frame.bytes
        case .pcapng:
            let key = InterfaceKey(id: frame.interfaceID, linkType: frame.linkType.rawValue)
            let index: UInt32
            if let known = interfaces[key] {
                index = known
            } else {
                index = UInt32(interfaces.count)
                interfaces[key] = index
                // if_tsresol = 9: timestamps in nanoseconds.
                let options = Self.le16(9) + Self.le16(1) + [9, 0, 0, 0] + Self.le16(0) + Self.le16(0)
                pending += Self.block(type: 1, body: Self.le16(UInt16(truncatingIfNeeded: frame.linkType.rawValue)) + Self.le16(0)
                                      + Self.le32(262_144) + options)
            }
            var body = Self.le32(index) + Self.le32(UInt32(nanos >> 32)) + Self.le32(UInt32(nanos & 0xffff_ffff))
                + Self.le32(UInt32(frame.bytes.count)) + Self.le32(UInt32(clamping: frame.originalLength))
            body += frame.bytes
            body += [UInt8](repeating: 0, count: (4 - frame.bytes.count % 4) % 4)
            pending += Self.block(type: 6, body: body)
        }
        framesWritten += 1
        if pending.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered; call once at the end (and it is called as the buffer fills).
    public func flush() throws {
        var off = 0
        while off < pending.count {
            let n = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, pending.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CaptureError.cannotOpen(path: "output", reason: String(cString: strerror(errno)))
            }
            off += n
        }
        pending.removeAll(keepingCapacity: true)
    }

    static func block(type: UInt32, body: [UInt8]) -> [UInt8] {
        let total = UInt32(12 + body.count)
        return le32(type) + le32(total) + body + le32(total)
    }

    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
}
