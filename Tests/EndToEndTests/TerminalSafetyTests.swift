import Foundation
import Testing
import TestSupport

/// Text from a capture is untrusted: a label carrying an ANSI escape or a caller with a carriage
/// return must print escaped, never reach the terminal raw and repaint the user's screen.
@Suite struct TerminalSafetyTests {
    static let esc = "\u{1b}"

    static func hostileCapture() throws -> String {
        let callID = "evil\(esc)]0;pwned\u{07}"
        let body = "k=3\r\nc=on\r\nl=\(esc)[2J\(esc)[31mEVIL\r\ni=123\r4567\r\n"
        return try PcapWriting.write([
            .init(source: PcapWriting.pbx, destination: PcapWriting.phone, payload: PcapWriting.message(body, callID: callID), seconds: 1_700_000_000),
            .init(source: PcapWriting.phone, destination: PcapWriting.pbx, payload: PcapWriting.ok(callID: callID, status: "200 \(esc)[2JOK"), seconds: 1_700_000_001),
        ], name: "hostile")
    }

    @Test(arguments: [["timeline"], ["state"], ["messages"], ["lint"], ["summary"], ["exchanges"], ["why", "--phone", "44", "--key", "3"]])
    func noRawControlCharacters(_ command: [String]) throws {
        let file = try Self.hostileCapture()
        let r = try CommandRunner.buttonscope([command[0], file] + command.dropFirst())
        #expect(r.status != 2, "\(r.stderr)")
        let bytes = Array(r.stdout.utf8) + Array(r.stderr.utf8)
        #expect(!bytes.contains(0x1b), "\(command[0]) printed a raw ESC")
        #expect(!bytes.contains(0x0d), "\(command[0]) printed a raw CR")
        #expect(!bytes.contains(0x07), "\(command[0]) printed a raw BEL")
    }

    @Test func theHostileValuesAreShownEscaped() throws {
        let file = try Self.hostileCapture()
        // Shown, not dropped: the user can see what the capture carried.
        let timeline = try CommandRunner.buttonscope(["timeline", file]).stdout
        #expect(timeline.contains("\\x1b[2J"), "\(timeline)")
        #expect(timeline.contains("123\\x0d4567"), "\(timeline)")
        let state = try CommandRunner.buttonscope(["state", file]).stdout
        #expect(state.contains("\\x1b[2J"), "\(state)")
        let messages = try CommandRunner.buttonscope(["messages", file]).stdout
        #expect(messages.contains("evil\\x1b"), "\(messages)")
    }

    @Test func pipedOutputHasNoColour() throws {
        let file = Paths.capture("spec-incoming-call-key3-udp.pcap")
        for command in ["timeline", "state", "lint", "summary", "exchanges", "messages"] {
            let r = try CommandRunner.buttonscope([command, file])
            #expect(!r.stdout.utf8.contains(0x1b), "\(command) coloured a pipe")
            #expect(!r.stdout.contains("✓") && !r.stdout.contains("●"), "\(command) used terminal symbols on a pipe")
        }
    }
}
