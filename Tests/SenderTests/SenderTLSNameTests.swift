import TLSKeys
import Capture
import Foundation
import Testing
@testable import Sender
import TestSupport

/// Issue 16 item 5 and 8, and issue 11's key log, against `openssl s_server` on 127.0.5.30 with
/// certificates made here by a CA of our own: to an IP address the certificate must hold that
/// address (or the name given with --tls-server-name); an expired certificate is called expired;
/// the sender's key log matches the server's.
@Suite(.serialized) struct SenderTLSNameTests {
    static let host = "127.0.5.30"

    /// A CA and leaf certificates it signed, in a temporary directory.
    final class TestPKI {
        let dir = Paths.temporary("pki")
        let openssl: String
        var ca: String { dir + "/ca.pem" }

        init(_ openssl: String) throws {
            self.openssl = openssl
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/ca.key", "-out", ca, "-days", "2", "-subj", "/CN=ButtonScope Test CA"])
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        /// A leaf with these subjectAltNames (e.g. "DNS:other-phone.example", "IP:127.0.5.30"); `days` -1 is expired.
        func leaf(_ name: String, san: String, days: Int = 1) throws -> (cert: String, key: String) {
            let key = dir + "/\(name).key", csr = dir + "/\(name).csr", cert = dir + "/\(name).pem", ext = dir + "/\(name).ext"
            try "subjectAltName=\(san)\n".write(toFile: ext, atomically: true, encoding: .utf8)
            try run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=\(name)"])
            try run(["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", dir + "/ca.key", "-CAcreateserial", "-out", cert,
                     "-days", "\(days)", "-extfile", ext])
            return (cert, key)
        }

        private func run(_ args: [String]) throws {
            guard try CommandRunner.run(openssl, args).status == 0 else { throw TestFailure("openssl \(args.prefix(2).joined(separator: " ")) failed") }
        }
    }

    /// s_server on 127.0.5.30 with `cert`; what it receives goes to `output`.
    static func server(_ openssl: String, cert: String, key: String, output: String, keyLog: String? = nil) throws -> (Process, Pipe, Int) {
        let port = try FreePort.tcp()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: openssl)
        p.arguments = ["s_server", "-accept", "\(host):\(port)", "-cert", cert, "-key", key, "-quiet"] + (keyLog.map { ["-keylogfile", $0] } ?? [])
        let stdin = Pipe()
        p.standardInput = stdin
        FileManager.default.createFile(atPath: output, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 0.4)
        return (p, stdin, port)
    }

    /// Sends one MESSAGE; s_server never answers, so delivery ends in `.noAnswer` (TLS up).
    static func attempt(_ options: TLSOptions, port: Int) async throws -> SenderError? {
        let sender = SIPSender(SenderConfiguration(timers: SIPTimers(t1: 0.01), tls: options))
        var failure: SenderError?
        do {
            _ = try await sender.send(.message(body: Array("k=1\r\nc=on\r\n".utf8)), to: SIPTarget(user: "44", host: host, port: port, transport: .tls))
        } catch let e as SenderError {
            failure = e
        }
        try? await sender.shutdown()
        return failure
    }

    static func delivered(_ e: SenderError?) -> Bool {
        if case .noAnswer(_, .tls, _, 1) = e { return true }
        return false
    }

    @Test func anIPAddressMustBeInTheCertificate() async throws {
        guard let openssl = CommandRunner.tool("openssl") else { return }
        let pki = try TestPKI(openssl)
        let other = try pki.leaf("other-phone.example", san: "DNS:other-phone.example")
        let byIP = try pki.leaf("phone-by-ip", san: "IP:\(Self.host)")
        let output = Paths.temporary("s_server.out")
        defer { try? FileManager.default.removeItem(atPath: output) }

        // A certificate for another host, signed by the CA we trust: refused for sip:44@127.0.5.30.
        var (server, stdin, port) = try Self.server(openssl, cert: other.cert, key: other.key, output: output)
        let refused = try await Self.attempt(TLSOptions(caFile: pki.ca), port: port)
        guard case .tlsHandshakeFailed(_, let reason) = refused else { Issue.record("expected a refusal, got \(String(describing: refused))"); return }
        #expect(reason.contains("does not hold this IP address"), "\(reason)")
        // The way out is typed; the CLI spells it as `--tls-server-name NAME` (OptionHint).
        #expect(refused?.remedy == .serverNameForAddress, "\(reason)")
        // The phone's certificate names it by host name: say so, and it is accepted.
        #expect(Self.delivered(try await Self.attempt(TLSOptions(caFile: pki.ca, serverName: "other-phone.example"), port: port)))
        // A wrong name is still refused; --insecure skips the check.
        if case .tlsHandshakeFailed = try await Self.attempt(TLSOptions(caFile: pki.ca, serverName: "phone.example"), port: port) {} else {
            Issue.record("a name the certificate does not hold must be refused")
        }
        #expect(Self.delivered(try await Self.attempt(TLSOptions(insecure: true), port: port)))
        kill(server.processIdentifier, SIGKILL); server.waitUntilExit(); _ = stdin

        // A certificate holding the IP address: accepted with the CA alone.
        (server, stdin, port) = try Self.server(openssl, cert: byIP.cert, key: byIP.key, output: output)
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(Self.delivered(try await Self.attempt(TLSOptions(caFile: pki.ca), port: port)))
    }

    @Test func anExpiredCertificateIsCalledExpired() async throws {
        guard let openssl = CommandRunner.tool("openssl") else { return }
        let pki = try TestPKI(openssl)
        let expired = try pki.leaf("expired", san: "IP:\(Self.host)", days: -1)
        let output = Paths.temporary("s_server.out")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let (server, stdin, port) = try Self.server(openssl, cert: expired.cert, key: expired.key, output: output)
        defer { kill(server.processIdentifier, SIGKILL); _ = stdin }
        let e = try await Self.attempt(TLSOptions(caFile: pki.ca), port: port)
        guard case .tlsHandshakeFailed(_, let reason) = e else { Issue.record("expected a handshake failure, got \(String(describing: e))"); return }
        #expect(reason.contains("certificate expired on"), "\(reason)")
        #expect(!reason.contains("not signed by a CA"), "\(reason)")
    }

    /// The sender appends its session keys: the same client random as the server's own key log.
    @Test func theSendersKeyLogMatchesTheServers() async throws {
        guard let openssl = CommandRunner.tool("openssl") else { return }
        let pki = try TestPKI(openssl)
        let leaf = try pki.leaf("phone-by-ip", san: "IP:\(Self.host)")
        let output = Paths.temporary("s_server.out"), serverKeys = Paths.temporary("server.keys"), ourKeys = Paths.temporary("our.keys")
        defer { for f in [output, serverKeys, ourKeys] { try? FileManager.default.removeItem(atPath: f) } }
        try "# kept: a key log is appended to, never truncated\n".write(toFile: ourKeys, atomically: true, encoding: .utf8)
        let (server, stdin, port) = try Self.server(openssl, cert: leaf.cert, key: leaf.key, output: output, keyLog: serverKeys)
        defer { kill(server.processIdentifier, SIGKILL); _ = stdin }
        let sink = try TLSKeyLogSink(appendingTo: ourKeys)
        #expect(Self.delivered(try await Self.attempt(TLSOptions(caFile: pki.ca, keyLog: sink), port: port)))
        try await Task.sleep(nanoseconds: 200_000_000)
        let ours = try String(contentsOfFile: ourKeys, encoding: .utf8)
        #expect(ours.hasPrefix("# kept: a key log is appended to, never truncated\n"))
        var mine = TLSSecrets(), theirs = TLSSecrets()
        #expect(mine.addKeyLog(ours).badLineCount == 0)
        theirs.addKeyLog(try String(contentsOfFile: serverKeys, encoding: .utf8))
        #expect(mine.clientRandoms.count == 1)
        #expect(Set(mine.clientRandoms) == Set(theirs.clientRandoms))
        let random = try #require(mine.clientRandoms.first)
        #expect(mine.secret("CLIENT_TRAFFIC_SECRET_0", clientRandom: random) == theirs.secret("CLIENT_TRAFFIC_SECRET_0", clientRandom: random))
        #expect(sink.allSecrets == mine)
    }
}
