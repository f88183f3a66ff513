#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered reads from a file descriptor, so a capture streams from a file or a pipe alike
/// with memory bounded by the largest record, never by the file.
final class ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// Bytes handed out so far: the file offset of the next byte.
    private(set) var offset: Int = 0
    /// The whole size when it is known up front (a regular file, bytes in memory); nil for a pipe.
    private let knownSize: Int?

    init(fd: Int32, ownsDescriptor: Bool, chunkSize: Int = 1 << 20) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
        var info = stat()
        knownSize = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    /// Bytes already in memory (tests, fuzzing): no descriptor, the end is the end of `bytes`.
    init(bytes: [UInt8]) {
        self.fd = -1
        self.ownsDescriptor = false
        self.buffer = bytes
        self.end = bytes.count
        self.eof = true
        self.knownSize = bytes.count
    }

    /// True when the source is known to end before `count` more bytes: a record claiming more than
    /// the file holds is refused before any buffer grows for it. A pipe cannot tell: false.
    func cannotHold(_ count: Int) -> Bool {
        guard let size = knownSize else { return false }
        return count > size - offset
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Makes `count` bytes available if the source has them; returns how many are available.
    private func fill(_ count: Int) -> Int {
        if end - start >= count || eof { return min(count, end - start) }
        let unread = end - start
        if start > 0 {
            if unread > 0 {
                buffer.withUnsafeMutableBufferPointer { p in
                    _ = memmove(p.baseAddress!, p.baseAddress! + start, unread)
                }
            }
            start = 0
            end = unread
        }
        if buffer.count < count {
            buffer.append(contentsOf: [UInt8](repeating: 0, count: count - buffer.count))
        }
        while end < count && !eof {
            let room = buffer.count - end
            let n = buffer.withUnsafeMutableBufferPointer { p in
                Glibc.read(fd, p.baseAddress! + end, room)
            }
            if n > 0 {
                end += n
            } else if n == 0 || errno != EINTR {
                eof = true
            }
        }
        return min(count, end - start)
    }

    /// Exactly `count` bytes (or what was left when the source ended) in a fresh array.
    ///
    /// Copying out, rather than handing a slice of `buffer`, matters: a slice still alive when
    /// the next `fill` shifts the buffer would make Swift copy the whole megabyte (copy on write).
    func readArray(_ count: Int) -> [UInt8] {
        let available = fill(count)
        guard available > 0 else { return [] }
        let from = start
        let out = [UInt8](unsafeUninitializedCapacity: available) { p, n in
            buffer.withUnsafeBufferPointer { b in
                p.baseAddress!.update(from: b.baseAddress! + from, count: available)
            }
            n = available
        }
        start += available
        offset += available
        return out
    }

    /// Replaces `array`'s contents with the next `count` bytes (or fewer at the end). When the
    /// caller dropped the frame it last got, the array's storage is reused: no allocation per packet.
    func read(_ count: Int, into array: inout [UInt8]) {
        let available = fill(count)
        array.removeAll(keepingCapacity: true)
        guard available > 0 else { return }
        buffer.withUnsafeBufferPointer { b in
            array.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<(start + available)]))
        }
        start += available
        offset += available
    }

    /// Consumes up to `count` bytes and lets `body` look at them without copying.
    func withNext<R>(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let available = fill(count)
        let from = start
        start += available
        offset += available
        return buffer.withUnsafeBufferPointer { b in
            body(UnsafeBufferPointer(rebasing: b[from..<(from + available)]))
        }
    }

    /// Exactly `count` bytes, or what was left when the source ended (shorter).
    func read(_ count: Int) -> ArraySlice<UInt8> {
        let available = fill(count)
        let slice = buffer[start..<(start + available)]
        start += available
        offset += available
        return slice
    }

    /// Discards `count` bytes; returns how many were really there.
    func skip(_ count: Int) -> Int {
        var remaining = count
        while remaining > 0 {
            let chunk = min(remaining, buffer.count)
            let got = read(chunk).count
            remaining -= got
            if got < chunk { break }
        }
        return count - remaining
    }

    /// Bytes available without consuming them (up to `count`).
    func peek(_ count: Int) -> ArraySlice<UInt8> {
        let available = fill(count)
        return buffer[start..<(start + available)]
    }

    var isAtEnd: Bool { fill(1) == 0 }
}
