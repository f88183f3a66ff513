import TLSKeys
import Capture
import Foundation
import Phone
import Testing
@testable import Sender
import TestSupport

/// The other direction of issue 11: `replay --tls-keylog FILE --record desk.pcapng` over TLS to the
/// emulated phone writes the session keys (appended, as SSLKEYLOGFILE is) and records the
/// encrypted records as they crossed the socket, with the keys embedded in a Decryption
/// Secrets Block. tshark is the oracle: it decrypts the recording with no option at all and
/// finds the SIP messages the replay sent and got back.
@Suite(.serialized) struct TLSRecordTests {
    static let host = "127.0.5.20"

    static func randoms(_ path: String) throws -> Set<[UInt8]> {
        var s = TLSSecrets()
        s.addKeyLog(try String(contentsOfFile: path, encoding: .utf8))
        return Set(s.clientRandoms)
    }

    @Test func replayOverTLSRecordsEncryptedRecordsWithTheirKeys() throws {
        guard let tshark = CommandRunner.tool("tshark"), CommandRunner.tool("openssl") != nil else { return }
        let pki = try SelfSignedCertificate()
        defer { pki.remove() }
        let phoneKeys = Paths.temporary("phone.keys"), replayKeys = Paths.temporary("replay.keys")
        let desk = Paths.temporary("desk.pcapng")
        defer { for f in [phoneKeys, replayKeys, desk] { try? FileManager.default.removeItem(atPath: f) } }
        // Port 5061 on our own loopback address: tshark takes it for SIP over TLS by itself.
        let phone = EmulatedPhone(.init(user: "44", listen: [PhoneListenAddress(transport: .tls, host: Self.host, port: 5061)],
                                        certificatePath: pki.certificate, privateKeyPath: pki.key,
                                        keyLog: try TLSKeyLogSink(appendingTo: phoneKeys)))
        try phone.start()
        defer { phone.stop() }

        let run = try CommandRunner.buttonscope(["replay", Paths.capture("spec-incoming-call-key3-udp.pcap"), "--phone", "44",
                                         "--to", "sip:44@\(Self.host):5061;transport=tls", "--insecure",
                                         "--tls-keylog", replayKeys, "--record", desk, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let exchanges = try CommandRunner.ndjson(run.stdout).filter { $0["record"] as? String == "exchange" }
        #expect(exchanges.count >= 2, "\(run.stdout)")

        // Both ends logged the same session(s).
        let ours = try Self.randoms(replayKeys)
        #expect(ours.count == 1, "one connection, reused for every request")
        #expect(ours == (try Self.randoms(phoneKeys)))

        // The recording: pcapng, a Decryption Secrets Block with exactly that connection's keys, before any packet.
        let reader = try CaptureReader(path: desk)
        #expect(reader.format == "pcapng")
        let first = try #require(reader.next())
        let embedded = try #require(reader.takeSecrets(), "the keys come before the first packet")
        #expect(Set(embedded.clientRandoms) == ours)
        #expect(first.linkType.rawValue == 101)
        var plaintextSeen = false
        var frame: CapturedFrame? = first
        while let f = frame {
            if String(decoding: f.bytes, as: UTF8.self).contains("x-buttons") { plaintextSeen = true }
            frame = reader.next()
        }
        #expect(!plaintextSeen, "TLS is recorded as it crossed the socket, encrypted")

        // tshark, given nothing but the file, decrypts it and finds each MESSAGE and its 200.
        let text = try CommandRunner.run(tshark, ["-r", desk, "-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "sip.Status-Code",
                                                  "-e", "sip.Call-ID"]).stdout
        let fields = text.split(separator: "\n").flatMap { $0.split(separator: "\t").flatMap { $0.split(separator: ",") } }
        #expect(fields.filter { $0 == "MESSAGE" }.count == exchanges.count, "\(text)")
        #expect(fields.filter { $0 == "200" }.count == exchanges.count, "\(text)")

        // Issue 11: "`buttonscope timeline desk.pcapng` reads a TLS replay back with no option":
        // the keys embedded in the recording unlock it, and the key shows what the replay sent.
        let env = ProcessInfo.processInfo.environment
        if let log = env["SSLKEYLOGFILE"], !log.isEmpty { Issue.record("SSLKEYLOGFILE=\(log) is set: the read-back would not prove the embedded keys") }
        let messages = try CommandRunner.buttonscope(["messages", "--json", desk])
        #expect(messages.status == 0, "\(messages.stderr)")
        let read = try CommandRunner.ndjson(messages.stdout)
        #expect(read.filter { $0["method"] as? String == "MESSAGE" && $0["transport"] as? String == "tls" }.count == exchanges.count,
                "\(messages.stdout)")
        #expect(read.filter { $0["status"] as? Int == 200 }.count == exchanges.count, "\(messages.stdout)")
        let timeline = try CommandRunner.buttonscope(["timeline", desk, "--phone", "44", "--key", "3"])
        #expect(timeline.status == 0, "\(timeline.stderr)")
        #expect(timeline.stdout.contains("accepted 200") && timeline.stdout.contains("light=pickup"), "\(timeline.stdout)")
    }

    /// `send --record` with no key log file: the keys are kept in memory for the recording.
    @Test func recordAloneStillEmbedsTheKeys() throws {
        guard CommandRunner.tool("openssl") != nil else { return }
        let pki = try SelfSignedCertificate()
        defer { pki.remove() }
        let desk = Paths.temporary("desk2.pcapng")
        defer { try? FileManager.default.removeItem(atPath: desk) }
        let phone = EmulatedPhone(.init(user: "44", listen: [PhoneListenAddress(transport: .tls, host: Self.host, port: 0)],
                                        certificatePath: pki.certificate, privateKeyPath: pki.key))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let run = try CommandRunner.buttonscope(["send", "--to", "sip:44@\(Self.host):\(port);transport=tls", "--insecure", "k=3", "c=on",
                                         "--record", desk])
        #expect(run.status == 0, "\(run.stderr)")
        let reader = try CaptureReader(path: desk)
        _ = reader.next()
        #expect(reader.takeSecrets()?.clientRandoms.count == 1)
    }
}

/// `phone --tls-keylog` and `send --tls-keylog` as a user runs them: both ends of one TLS
/// session write the same client random.
@Suite(.serialized) struct PhoneAndSendKeyLogTests {
    @Test func phoneAndSendWriteTheSameSession() throws {
        guard CommandRunner.tool("openssl") != nil else { return }
        let pki = try SelfSignedCertificate()
        defer { pki.remove() }
        let phoneKeys = Paths.temporary("cli-phone.keys"), sendKeys = Paths.temporary("cli-send.keys")
        defer { for f in [phoneKeys, sendKeys] { try? FileManager.default.removeItem(atPath: f) } }
        let port = try FreePort.tcp()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.binary)
        process.arguments = ["phone", "--listen", "tls:\(TLSRecordTests.host):\(port)", "--tls-cert", pki.certificate, "--tls-key", pki.key,
                             "--user", "44", "--tls-keylog", phoneKeys]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var run = CommandRunner.Result(status: -1, stdout: "", stderr: "", seconds: 0)
        for _ in 0..<40 {
            run = try CommandRunner.buttonscope(["send", "--to", "sip:44@\(TLSRecordTests.host):\(port);transport=tls", "--insecure",
                                         "--tls-keylog", sendKeys, "k=3", "c=on"])
            if run.status == 0 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(run.status == 0, "\(run.stderr)")
        input.fileHandleForWriting.write(Data("quit\n".utf8))
        process.waitUntilExit()
        let sent = try TLSRecordTests.randoms(sendKeys)
        #expect(!sent.isEmpty)
        #expect(sent.isSubset(of: try TLSRecordTests.randoms(phoneKeys)), "the phone logged the session send opened")
    }
}
