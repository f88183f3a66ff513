#if canImport(Glibc)
import Glibc
#endif
import Rendering
import Pipeline

/// Where commands print: stdout for results, stderr for problems. Only this CLI writes to the
/// terminal; the libraries return values.
enum Output {
    /// One buffer for the whole process, behind a lock: replay's parallel tasks and the NIO
    /// thread's log callback write lines too, and two unsynchronised writers were a data race.
    private static let stdoutBuffer = LockedText()

    /// Buffered stdout: one write per 64 KiB instead of per line.
    static func line(_ s: String) {
        stdoutBuffer.append(s, newline: true, flushAt: 1 << 16) { write($0, to: 1) }
    }

    /// Text as it is, no line end added (a redrawn screen).
    static func raw(_ s: String) {
        stdoutBuffer.append(s, flushAt: 1 << 16) { write($0, to: 1) }
    }

    static func flush() {
        stdoutBuffer.flush { write($0, to: 1) }
    }

    /// The whole text to a file descriptor (a short write is continued). Unlocked: callers hold
    /// the buffer's lock, or are the only writer (the progress bar, while a capture loads).
    static func write(_ text: String, to fd: Int32) {
        var s = text
        s.withUTF8 { p in
            var off = 0
            while off < p.count {
                let n = Glibc.write(fd, p.baseAddress! + off, p.count - off)
                if n <= 0 { if errno == EINTR { continue }; return }
                off += n
            }
        }
    }

    static func json(_ v: JSONValue) { line(v.rendered) }

    /// One line on stderr, after all that stdout was given before it. Both are written with the
    /// buffer's lock held, so the process has one writer at a time whatever thread prints
    /// (replay's parallel tasks, the NIO thread's log callback): the streams keep their order.
    static func error(_ s: String) {
        let line = s + "\n"
        // As fputs wrote it before: a C string, ended by a NUL the text may hold.
        let text = line.utf8.contains(0) ? String(decoding: line.utf8.prefix { $0 != 0 }, as: UTF8.self) : line
        stdoutBuffer.flush(write: { write($0, to: 1) }, then: { write(text, to: 2) })
    }

    /// Whether stdout is a terminal (colours: `TerminalColour`).
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }
}
