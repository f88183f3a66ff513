#if canImport(Glibc)
import Glibc
#endif

/// A new file written through a 1 MiB buffer: what the capture writers share (`export`, `watch -w`,
/// a HEP collector's `-w`). Whatever is pending is written at `flush()` and when the object goes.
final class BufferedFileOutput {
    let path: String
    private let fd: Int32
    private var pending: [UInt8] = []

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
    }

    deinit {
        try? flush()
        close(fd)
    }

    func append(_ bytes: [UInt8]) throws {
        pending += bytes
        if pending.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var off = 0
        while off < pending.count {
            let n = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, pending.count - off) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                pending.removeAll()
                throw CaptureError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
            off += n
        }
        pending.removeAll(keepingCapacity: true)
    }
}
