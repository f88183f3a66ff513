import Foundation
import Testing
import TestSupport

/// The progress bar shows on stderr only when stderr is a terminal (here, the pty `script`
/// provides), and never when stderr is a pipe.
@Suite struct ProgressBarTests {
    /// A capture big enough that loading it in a debug build takes well over the bar's 0.3 s delay.
    static func bigCapture() throws -> String {
        let filler = String(repeating: "x", count: 1200)
        var datagrams = (0..<40_000).map { i in
            PcapWriting.Datagram(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: filler, seconds: 1_700_000_000 + UInt32(i / 1000))
        }
        datagrams.append(.init(source: PcapWriting.pbx, destination: PcapWriting.phone,
                               payload: PcapWriting.message("k=3\r\nc=on\r\n", callID: "bar-1"), seconds: 1_700_000_100))
        return try PcapWriting.write(datagrams, name: "progress")
    }

    @Test func drawnOnATerminalAndErased() throws {
        guard let script = CommandRunner.tool("script") else { return }
        let file = try Self.bigCapture()
        defer { try? FileManager.default.removeItem(atPath: file) }
        // stdout to /dev/null: what `script` relays is the pty, i.e. stderr.
        let r = try CommandRunner.run(script, ["-qfec", "'\(Paths.binary)' messages '\(file)' > /dev/null", "/dev/null"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("%"), "no progress bar drawn on the terminal: \(r.stdout.prefix(300))")
        #expect(r.stdout.contains(" MB"))
        // It erases itself: the last thing written is the erase sequence, not a bar.
        #expect(r.stdout.hasSuffix("\r\u{1b}[K"), "bar not erased at the end: \(String(r.stdout.suffix(80)).debugDescription)")
    }

    @Test func neverOnAPipe() throws {
        let file = try Self.bigCapture()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CommandRunner.buttonscope(["messages", file])
        #expect(r.status == 0)
        #expect(!r.stderr.contains("%"), "progress bar written to a pipe: \(r.stderr.prefix(200))")
        #expect(!r.stderr.contains("\u{1b}"))
    }
}
