import Foundation
import Testing
import TestSupport

/// Issue 16, items 7 and 8: bytes from a capture or a file name reach the terminal escaped, JSON
/// escapes bidi controls, and `replay --dry-run` to a pipe keeps the exact bytes (not UTF-8 ones too).
@Suite(.serialized) struct UntrustedBytesTests {
    static let esc: UInt8 = 0x1b

    /// A capture whose MESSAGE carries a screen clear, a BEL, a lone 0x9B (not UTF-8: a C1 CSI on
    /// some terminals) and U+202E (right-to-left override) in its headers.
    static func capture() throws -> String {
        var c = HostileCapture()
        var m = HostileCapture.message("untrusted-bytes", body: "k=7\r\nc=on\r\nl=a\u{202e}b\r\n", extra: "X-Screen: \u{1b}[2J\u{07}\r\nX-Bidi: a\u{202e}b\r\n")
        let at = m.firstIndex(of: 0x0d)!  // the end of the start line
        m.insert(contentsOf: Array("\r\nX-Raw: a".utf8) + [0x9b] + Array("b".utf8), at: at)
        c.udp(HostileCapture.pbx, HostileCapture.phone, m)
        c.udp(HostileCapture.phone, HostileCapture.pbx, HostileCapture.ok("untrusted-bytes"))
        return try HostileCaptureTests.write(c.data, "untrusted")
    }

    /// stdout as bytes (decoded as UTF-8, the 0x9B would be hidden).
    static func rawStdout(_ executable: String, _ args: [String]) throws -> Data {
        try CommandRunner.run(executable, args).stdoutBytes
    }

    @Test func dryRunToAPipeKeepsTheExactBytes() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try Self.rawStdout(Paths.binary, ["replay", path, "--to", "sip:44@127.0.6.1:5060", "--dry-run"])
        let bytes = [UInt8](out)
        #expect(bytes.count > 100)
        #expect(Self.contains(bytes, Array("X-Raw: a".utf8) + [0x9b] + Array("b\r\n".utf8)), "0x9B must go out as it came, not as EF BF BD")
        #expect(!Self.contains(bytes, [0xef, 0xbf, 0xbd]))
        #expect(Self.contains(bytes, [Self.esc] + Array("[2J".utf8)))
    }

    /// On a terminal (a pty made by `script`) the same output shows the escapes instead of obeying them.
    @Test func dryRunOnATerminalEscapes() throws {
        guard let script = CommandRunner.tool("script") else { return }
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let command = "'\(Paths.binary)' replay '\(path)' --to sip:44@127.0.6.1:5060 --dry-run"
        let out = try Self.rawStdout(script, ["-qfec", command, "/dev/null"])
        let bytes = [UInt8](out)
        #expect(Self.contains(bytes, Array("X-Screen: \\x1b[2J\\x07".utf8)))
        #expect(Self.contains(bytes, Array("X-Raw: a\\x9bb".utf8)))
        #expect(Self.contains(bytes, Array("X-Bidi: a\\u{202e}b".utf8)))
        #expect(!bytes.contains(Self.esc), "no raw ESC may reach the terminal")
        #expect(!bytes.contains(0x07) && !bytes.contains(0x9b))
    }

    @Test func jsonEscapesBidiControls() throws {
        let path = try Self.capture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CommandRunner.buttonscope(["state", "--json", path])
        let text = r.stdout
        #expect(!text.unicodeScalars.contains { $0.value == 0x202e })
        #expect(text.contains("a\\u202eb"), "the label's U+202E escaped: \(text.prefix(400))")
        let doc = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(doc != nil)
    }

    @Test func cannotOpenEscapesTheFileName() throws {
        let r = try CommandRunner.buttonscope(["messages", "/nonexistent/\u{1b}]0;pwned\u{07}x.pcap"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot open"))
        #expect(r.stderr.contains("\\x1b]0;pwned\\x07"))
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
}
