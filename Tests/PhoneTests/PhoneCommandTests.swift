import Foundation
import NIOCore
import NIOPosix
import SIP
import Testing
import TestSupport

/// `buttonscope phone --json` as a user runs it: a subprocess, MESSAGEs over UDP, NDJSON out,
/// `quit` on stdin ends it with status 0.
@Suite(.serialized) struct PhoneCommandTests {
    @Test func jsonPrintsEachKeyChangeWithTheFullState() throws {
        let port = try FreePort.udp()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["phone", "--listen", "udp:127.0.0.1:\(port)", "--user", "44", "--json"]
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Retry until the phone listens; the same branch each time, so a copy is a retransmission.
        let first = PhoneWire.message(user: "44", body: "k=2\r\nc=on\r\nl=Sales\r\no=green\r\n", branch: "cmd1")
        var answer: SIPMessage?
        for _ in 0..<40 where answer == nil {
            answer = try? PhoneWire.exchange(first, udpPort: port)
        }
        #expect(answer?.statusCode == 200)
        #expect(try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=2\r\nl=Sales\r\n", branch: "cmd2"), udpPort: port).statusCode == 200)
        #expect(try PhoneWire.exchange(PhoneWire.message(user: "99", body: "k=3\r\nc=on\r\n", branch: "cmd3"), udpPort: port).statusCode == 404)

        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "stderr: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")

        let lines = stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "one line per change, none for the 404: \(stdout)")
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        guard objects.count == 2 else { return }
        #expect(objects[0]["user"] as? String == "44")
        #expect(objects[0]["key"] as? String == "2")
        #expect(objects[0]["from"] as? String != nil)
        #expect((objects[0]["time"] as? Double).map { abs($0 - Date().timeIntervalSince1970) < 60 } == true)
        let state = try #require(objects[0]["state"] as? [String: Any])
        #expect(Set(state.keys) == ["light", "color", "action", "destination", "label", "display_name", "caller", "direction",
                                    "forward", "mwi", "release", "state", "treatment", "type"])
        #expect(state["light"] as? String == "on")
        #expect(state["color"] as? String == "green")
        #expect(state["action"] as? String == "invite")
        #expect(state["label"] as? String == "Sales")
        #expect(state["caller"] is NSNull)
        // The second document replaced the state: light back to off, colour gone.
        let second = try #require(objects[1]["state"] as? [String: Any])
        #expect(second["light"] as? String == "off")
        #expect(second["color"] is NSNull)
    }

    // Seed: "+sip.instance=\"<urn:uuid:b255d09d-7a6e-4ad3-9ffb-eeacc9f87d52>\"": --instance takes that form only.
    /// The selection group's `--key` (as in watch, export, replay): only that key's changes print;
    /// the phone still applies and answers every document.
    @Test func keyPrintsOnlyThatKeysChanges() throws {
        let port = try FreePort.udp()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["phone", "--listen", "udp:127.0.0.1:\(port)", "--user", "44", "--json", "--key", "3"]
        let input = Pipe(), out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var answer: SIPMessage?
        for _ in 0..<40 where answer == nil {
            answer = try? PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=2\r\nc=on\r\n", branch: "sel1"), udpPort: port)
        }
        #expect(answer?.statusCode == 200)
        #expect(try PhoneWire.exchange(PhoneWire.message(user: "44", body: "k=3\r\nc=on\r\nl=Desk\r\n", branch: "sel2"), udpPort: port).statusCode == 200)
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("\"key\":\"3\"") == true, "\(stdout)")
    }

    @Test func aPEMFileGivenAsKeyIsExplained() throws {
        let r = try CommandRunner.buttonscope(["phone", "--listen", "udp:127.0.8.1:0", "--user", "44", "--key", "k.pem"], environment: [:])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--tls-key"), "\(r.stderr)")
    }

    @Test func anInstanceThatIsNotAUUIDURNIsUnusableInput() throws {
        let r = try CommandRunner.buttonscope(["phone", "--listen", "udp:127.0.8.1:0", "--user", "44", "--instance", "b255d09d"], environment: [:])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--instance") && r.stderr.contains("urn:uuid:"))
    }

    @Test func aTLSListenerWithoutCertificateIsUnusableInput() throws {
        let r = try CommandRunner.buttonscope(["phone", "--listen", "tls:127.0.0.1:0", "--user", "44"], environment: [:])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--tls-cert"))
    }
}
