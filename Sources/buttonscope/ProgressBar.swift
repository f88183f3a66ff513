#if canImport(Glibc)
import Glibc
#endif
import Pipeline
import Rendering

/// A progress bar on stderr while a long capture loads: bytes read of the file size. Only when
/// stderr is a terminal and the input is a file (a pipe has no size); it appears after a short
/// wait so quick loads never flicker, redraws at most ten times a second, and erases itself.
struct ProgressBar {
    private let total: Int
    private let label: String
    private let started: Double
    private var lastDraw: Double = 0
    private var drawn = false
    private var calls = 0

    static let delay = 0.3
    static let interval = 0.1
    static let width = 30

    /// Nil when no bar should show: not a terminal, stdin, or an empty or unsized file.
    init?(path: String) {
        guard path != "-", isatty(2) != 0 else { return nil }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
        total = Int(st.st_size)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        label = TerminalText.safe(name.count > 30 ? String(name.prefix(29)) + "…" : name)
        started = ProgressBar.monotonic()
    }

    /// Called per frame; looks at the clock only every 256 calls.
    mutating func update(bytesRead: Int) {
        calls &+= 1
        guard calls & 0xff == 0 else { return }
        let now = ProgressBar.monotonic()
        guard now - started >= Self.delay, now - lastDraw >= Self.interval else { return }
        lastDraw = now
        drawn = true
        let fraction = min(1, max(0, Double(bytesRead) / Double(total)))
        let filled = Int(fraction * Double(Self.width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: Self.width - filled)
        let mb = { (n: Int) in "\(n >> 20).\((n & 0xfffff) * 10 >> 20)" }
        Self.write("\r\u{1b}[K\(label) \(bar) \(Int(fraction * 100))%  \(mb(bytesRead)) of \(mb(total)) MB")
    }

    /// Erases the bar, if it was ever drawn.
    func finish() {
        if drawn { Self.write("\r\u{1b}[K") }
    }

    private static func write(_ s: String) {
        Output.write(s, to: 2)
    }

    private static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
