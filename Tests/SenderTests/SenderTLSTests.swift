import Foundation
import Testing
@testable import Sender
import TestSupport

/// TLS against `openssl s_server` with a self-signed certificate made here: an untrusted
/// certificate is a handshake failure with its reason; trusted (CA file) or --insecure, the
/// request arrives in plaintext at the server.
@Suite(.serialized) struct SenderTLSTests {
    /// Starts s_server on a free port; its stdin stays open (EOF would make it hang up).
    private func server(_ openssl: String, cert: String, key: String, output: String) throws -> (Process, Pipe, Int) {
        let port = try FreePort.tcp()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: openssl)
        p.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-quiet"]
        let stdin = Pipe()
        p.standardInput = stdin
        FileManager.default.createFile(atPath: output, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 0.5)
        return (p, stdin, port)
    }

    @Test func untrustedIsAHandshakeFailureAndTrustedOrInsecureDelivers() async throws {
        guard let openssl = CommandRunner.tool("openssl") else { return }
        let cert = Paths.temporary("cert.pem"), key = Paths.temporary("key.pem")
        defer { for f in [cert, key] { try? FileManager.default.removeItem(atPath: f) } }
        let gen = try CommandRunner.run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                                  "-days", "1", "-subj", "/CN=phone.lab"])
        try #require(gen.status == 0, "\(gen.stderr)")

        for (options, expectDelivery) in [(TLSOptions(), false), (TLSOptions(caFile: cert, serverName: "phone.lab"), true), (TLSOptions(insecure: true), true)] {
            let output = Paths.temporary("s_server.out")
            defer { try? FileManager.default.removeItem(atPath: output) }
            let (server, stdin, port) = try server(openssl, cert: cert, key: key, output: output)
            // SIGKILL: a child spawned from a test thread inherits its blocked SIGTERM (NIO blocks it), and
            // s_server then outlived every run.
            defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit(); _ = stdin }
            let sender = SIPSender(SenderConfiguration(timers: SIPTimers(t1: 0.02), tls: options))
            let target = SIPTarget(user: "44", host: "127.0.0.1", port: port, transport: .tls)
            do {
                _ = try await sender.send(.message(body: Array("k=1\r\nc=on\r\n".utf8)), to: target)
                Issue.record("s_server never answers SIP, yet a response came")
            } catch let e as SenderError {
                if expectDelivery {
                    guard case .noAnswer(_, .tls, _, 1) = e else { Issue.record("\(options): \(e)"); continue }
                } else {
                    guard case .tlsHandshakeFailed(_, let reason) = e else { Issue.record("expected a handshake failure, got \(e)"); continue }
                    #expect(reason.contains("CERTIFICATE_VERIFY_FAILED"))
                }
            }
            try await sender.shutdown()
            let seen = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(seen.contains("MESSAGE sip:44@127.0.0.1:\(port);transport=tls SIP/2.0") == expectDelivery)
            #expect(seen.contains("Via: SIP/2.0/TLS 127.0.0.1:") == expectDelivery)
        }
    }
}
