import Foundation
import Testing
import TestSupport

/// `watch` on the loopback interface with real SIP traffic: sipsak sends x-buttons MESSAGEs to
/// 127.0.0.1:15099, where a SIPp UAS answers 200. Capturing needs root (CI runs as root).
@Suite(.serialized) struct WatchLoopbackTests {
    static let port = "15099"

    /// A running `buttonscope watch`, its stderr read as it comes so the test knows when it listens.
    final class Watcher: @unchecked Sendable {
        let process = Process()
        private let out = Pipe(), err = Pipe()
        private let lock = NSLock()
        private var outData = Data(), errData = Data()

        init(_ args: [String]) throws {
            process.executableURL = URL(fileURLWithPath: Paths.binary)
            process.arguments = ["watch"] + args
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            out.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, stderr: false) }
            err.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, stderr: true) }
            try process.run()
        }

        private func append(_ d: Data, stderr: Bool) {
            lock.lock(); defer { lock.unlock() }
            if stderr { errData += d } else { outData += d }
        }

        var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: outData, as: UTF8.self) }
        var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: errData, as: UTF8.self) }

        /// Waits until watch says it is listening (or exits, or 10 s pass).
        func waitListening() -> Bool {
            for _ in 0..<100 {
                if stderr.contains("listening on") { return true }
                if !process.isRunning { return false }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        func finish() -> Int32 {
            process.waitUntilExit()
            Thread.sleep(forTimeInterval: 0.2)
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
            append(out.fileHandleForReading.readDataToEndOfFile(), stderr: false)
            append(err.fileHandleForReading.readDataToEndOfFile(), stderr: true)
            return process.terminationStatus
        }
    }

    /// Root is needed to capture: outside CI a non-root run skips, in CI it fails.
    static func canCapture() -> Bool {
        if getuid() == 0 { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("watch tests need root (CAP_NET_RAW) in CI") }
        return false
    }

    /// A sipsak message file: sipsak turns each LF into CRLF, so Content-Length counts CRLF lines.
    static func messageFile(callID: String, lines: [String]) throws -> String {
        let body = lines.map { $0 + "\r\n" }.joined()
        let text = "MESSAGE sip:$user$@127.0.0.1:\(port) SIP/2.0\nFrom: sip:pbx@$srchost$;tag=\(callID)\nTo: sip:$user$@127.0.0.1\n"
            + "Call-ID: \(callID)\nCSeq: 1 MESSAGE\nMax-Forwards: 70\nContent-Type: application/x-buttons\n"
            + "Content-Length: \(body.utf8.count)\n\n" + lines.joined(separator: "\n") + "\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString).txt")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func send(_ sipsak: String, file: String) throws -> CommandRunner.Result {
        try CommandRunner.run(sipsak, ["-G", "-H", "127.0.0.1", "-s", "sip:44@127.0.0.1:\(port)", "-f", file])
    }

    /// A SIPp UAS answering `count` MESSAGEs with 200 on 127.0.0.1:15099.
    static func answerer(_ sipp: String, count: Int) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sipp)
        p.arguments = ["-sf", Paths.root.appendingPathComponent("captures/real/scenarios/uas-message.xml").path,
                       "-i", "127.0.0.1", "-p", port, "-t", "u1", "-m", String(count), "-nostdin", "-timeout", "15s"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 0.5)
        return p
    }

    @Test func keyChangesAndAnswersAppearAsTheyHappen() throws {
        guard Self.canCapture(), let sipsak = CommandRunner.tool("sipsak"), let sipp = CommandRunner.tool("sipp") else { return }
        let watcher = try Watcher(["-i", "lo", "--bpf", "udp port \(Self.port)", "--json", "--duration", "8"])
        guard watcher.waitListening() else {
            _ = watcher.finish()
            Issue.record("watch did not start listening: \(watcher.stderr)")
            return
        }
        let uas = try Self.answerer(sipp, count: 2)
        defer { if uas.isRunning { uas.terminate() } }
        let ring = try Self.messageFile(callID: "watch-ring-\(UUID().uuidString.prefix(8))", lines: ["k=3", "c=pickup", "l=42", "i=19781234567"])
        let clear = try Self.messageFile(callID: "watch-clear-\(UUID().uuidString.prefix(8))", lines: ["k=3", "l=42"])
        #expect(try Self.send(sipsak, file: ring).status == 0)
        #expect(try Self.send(sipsak, file: clear).status == 0)
        let status = watcher.finish()
        #expect(status == 0, "\(watcher.stderr)")
        let events = try CommandRunner.ndjson(watcher.stdout)

        let documents = events.filter { $0["event"] as? String == "document" }
        let keys = events.filter { $0["event"] as? String == "key" }
        let answers = events.filter { $0["event"] as? String == "answer" }
        #expect(documents.count == 2)
        #expect(documents.allSatisfy { $0["user"] as? String == "44" && ($0["keys"] as? [String]) == ["3"] })
        // The spec's rule: the second description replaces key 3's whole state, so it goes off.
        let lamps = keys.map { ($0["key"] as? String ?? "?", ($0["state"] as? [String: Any])?["light"] as? String ?? "?") }
        #expect(lamps.map { "\($0.0)=\($0.1)" } == ["3=pickup", "3=off"])
        #expect((keys.first?["state"] as? [String: Any])?["caller"] as? String == "19781234567")
        #expect(keys.last?["changed"] as? [String] == ["light", "caller"])
        // Each answer names the frame of the document it answers, and comes after it.
        let documentFrames = documents.compactMap { $0["frame"] as? Int }
        #expect(answers.compactMap { $0["document_frame"] as? Int } == documentFrames)
        #expect(answers.allSatisfy { $0["status"] as? Int == 200 && $0["outcome"] as? String == "accepted" })
        for a in answers { #expect((a["frame"] as? Int ?? 0) > (a["document_frame"] as? Int ?? .max)) }
        // Printed in the order things happened: document, its key change, its answer.
        let order = events.compactMap { $0["event"] as? String }.filter { ["document", "key", "answer"].contains($0) }
        #expect(order == ["document", "key", "answer", "document", "key", "answer"])
    }

    @Test func sigtermStopsCleanlyAndFlushesTheRawCapture() throws {
        guard Self.canCapture(), let sipsak = CommandRunner.tool("sipsak"), let sipp = CommandRunner.tool("sipp") else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString).pcap").path
        let watcher = try Watcher(["-i", "lo", "--bpf", "udp port \(Self.port)", "-w", file, "--duration", "30"])
        guard watcher.waitListening() else { _ = watcher.finish(); Issue.record("not listening: \(watcher.stderr)"); return }
        let uas = try Self.answerer(sipp, count: 1)
        defer { if uas.isRunning { uas.terminate() } }
        let callID = "watch-w-\(UUID().uuidString.prefix(8))"
        #expect(try Self.send(sipsak, file: try Self.messageFile(callID: callID, lines: ["k=1", "c=on"])).status == 0)
        Thread.sleep(forTimeInterval: 0.5)
        watcher.process.terminate() // SIGTERM
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        #expect(watcher.stdout.contains("key 1") && watcher.stdout.contains("light=on"), "\(watcher.stdout)")
        let read = try CommandRunner.buttonscope(["messages", file, "--json"])
        #expect(read.status == 0, "\(read.stderr)")
        let messages = try CommandRunner.ndjson(read.stdout)
        #expect(messages.contains { $0["method"] as? String == "MESSAGE" && $0["call_id"] as? String == callID })
        #expect(messages.contains { $0["status"] as? Int == 200 && $0["call_id"] as? String == callID })
    }

    @Test func portOnlyFilterWarnsAboutFragments() throws {
        guard Self.canCapture() else { return }
        func stderr(_ filter: String) throws -> String {
            let r = try CommandRunner.buttonscope(["watch", "-i", "lo", "--bpf", filter, "--duration", "0.3"])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stderr
        }
        let portOnly = try stderr("udp port 5060")
        #expect(portOnly.contains("drops IPv4 and IPv6 fragments"), "\(portOnly)")
        #expect(portOnly.components(separatedBy: "fragments of SIP").count == 2, "warned once")
        // The sngrep advice keeps IPv4's later fragments; IPv6 fragments still fail `udp`.
        let v4Kept = try stderr("udp port 5060 or (ip[6:2] & 0x1fff != 0)")
        #expect(!v4Kept.contains("IPv4"), "\(v4Kept)")
        #expect(v4Kept.contains("drops IPv6 fragments"), "\(v4Kept)")
        // The filter the warning suggests passes the probe: no warning at all.
        let suggested = try stderr("(udp port 5060) or (ip[6:2] & 0x1fff != 0) or (ip6[6] == 44)")
        #expect(!suggested.contains("warning"), "\(suggested)")
        // A filter that does not look at ports keeps fragments.
        #expect(!(try stderr("udp")).contains("warning"))
    }

    @Test func noSuchInterfaceIsOneLineAndExitTwo() throws {
        let r = try CommandRunner.buttonscope(["watch", "-i", "nosuch-if0", "--duration", "1"])
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("nosuch-if0") == true, "\(r.stderr)")
    }
}
