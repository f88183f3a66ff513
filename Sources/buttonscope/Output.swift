#if canImport(Glibc)
import Glibc
#endif

/// Where commands print: stdout for results, stderr for problems. Only this CLI writes to the
/// terminal; the libraries return values.
enum Output {
    nonisolated(unsafe) static var buffer = ""

    /// Buffered stdout: one write per 64 KiB instead of per line.
    static func line(_ s: String) {
        buffer += s
        buffer += "\n"
        if buffer.utf8.count >= 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        var s = buffer
        buffer = ""
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = write(1, p.baseAddress! + off, p.count - off)
                if n <= 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }

    static func json(_ v: JSONValue) { line(v.rendered) }

    static func error(_ s: String) {
        flush()
        let text = s + "\n"
        _ = text.withCString { fputs($0, stderr) }
    }

    /// Whether stdout is a terminal: colours and symbols only then (and never with NO_COLOR).
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }
    static var useColor: Bool { stdoutIsTerminal && getenv("NO_COLOR") == nil }
}
