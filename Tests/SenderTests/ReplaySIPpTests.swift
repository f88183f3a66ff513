import Foundation
import SIP
import Testing
import TestSupport

/// Replay to SIPp acting as the phone (Debian's sip-tester): SIPp must receive every body byte
/// for byte, and the replay must see SIPp's 200s. In CI (CI=true) a missing sipp fails the test.
@Suite(.serialized) struct ReplaySIPpTests {
    @Test(arguments: ["udp", "tcp"])
    func sippReceivesEveryBodyByteForByteAndAnswers200(transport: String) throws {
        guard let sipp = CommandRunner.tool("sipp") else {
            print("skipping: sipp is not installed (apt-get install sip-tester)")
            return
        }
        let captureName = "udp-fragments-out-of-order.pcap"
        let bodies = try extractedMessages(Paths.capture(captureName))
            .filter { $0.message.method == "MESSAGE" && ($0.message.contentType ?? "").contains("x-buttons") }
            .map(\.message.body)
        try #require(bodies.count == 2)
        let port = try (transport == "udp" ? FreePort.udp() : FreePort.tcp())
        let log = Paths.temporary("sipp-\(transport).log")
        defer { try? FileManager.default.removeItem(atPath: log) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sipp)
        p.arguments = ["-sf", Paths.senderFixture("sipp-phone-uas.xml"), "-i", "127.0.0.1", "-p", String(port),
                       "-m", String(bodies.count), "-nostdin", "-trace_msg", "-message_file", log, "-timeout", "20s"]
            + (transport == "tcp" ? ["-t", "t1"] : [])
        p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        // SIPp needs a moment to listen.
        var ready = false
        for _ in 0..<50 where !ready {
            Thread.sleep(forTimeInterval: 0.1)
            ready = transport == "udp" ? portInUse(port, udp: true) : portInUse(port, udp: false)
        }
        try #require(ready, "sipp did not start listening on \(port)")
        let to = "sip:44@127.0.0.1:\(port)" + (transport == "tcp" ? ";transport=tcp" : "")
        let run = try CommandRunner.buttonscope(["replay", Paths.capture(captureName), "--to", to, "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let exchanges = try CommandRunner.ndjson(run.stdout).filter { $0["record"] as? String == "exchange" }
        #expect(exchanges.count == 2)
        #expect(exchanges.allSatisfy { $0["status"] as? Int == 200 && $0["ok"] as? Bool == true })
        for _ in 0..<50 where p.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        let traced = try [UInt8](Data(contentsOf: URL(fileURLWithPath: log)))
        for body in bodies {
            // The whole body, then the end of the message (the next trace separator or the file end).
            #expect(contains(traced, body), "SIPp did not receive a body byte for byte")
        }
        #expect(p.terminationStatus == 0, "sipp counted a failed call")
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    /// Whether something is bound to the port (so SIPp is ready).
    private func portInUse(_ port: Int, udp: Bool) -> Bool {
        let fd = socket(AF_INET, udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return r != 0
    }
}
