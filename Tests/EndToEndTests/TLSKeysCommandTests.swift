import TLSKeys
import Capture
import Foundation
import Testing
import TestSupport

/// The key sources as a user gives them: `--tls-keylog`, `--tls-key`, SSLKEYLOGFILE, keys
/// embedded in a pcapng; and `export` carrying the keys of what it exports. tshark is the oracle
/// for "the file can be decrypted".
@Suite struct TLSKeysCommandTests {
    static func tlsFile(_ name: String) -> String { Paths.captures.appendingPathComponent("tls-keys/\(name)").path }

    static func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "bs-tlskeys-\(UUID().uuidString)-\(name)"
    }

    /// Every command that reads a capture takes the options (and reads the files before the capture).
    static let captureCommands: [[String]] = [
        ["messages"], ["exchanges"], ["timeline"], ["state"], ["lint"], ["summary"],
        ["why", "--phone", "44", "--key", "3"], ["report", "-o", "/dev/null"],
        ["export", "--frames", "1", "-o", "/dev/null"],
    ]

    @Test func aMissingKeyLogIsUnusableInputOnEveryCaptureCommand() throws {
        let capture = Self.tlsFile("sip-tls13.pcap")
        for command in Self.captureCommands {
            let r = try CommandRunner.buttonscope(command + [capture, "--tls-keylog", "/nonexistent/keys.log"])
            #expect(r.status == 2, "\(command[0]): exit \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--tls-keylog /nonexistent/keys.log: cannot open: No such file or directory"), "\(command[0]): \(r.stderr)")
        }
        // replay too (with --dry-run nothing is sent): there a missing key log is one to create.
        let replay = try CommandRunner.buttonscope(["replay", capture, "--to", "sip:44@127.0.5.9", "--dry-run", "--tls-key", "/nonexistent/k.pem"])
        #expect(replay.status == 2 && replay.stderr.contains("--tls-key /nonexistent/k.pem: cannot open"), "\(replay.stderr)")
    }

    @Test func tlsKeyMustBeAPlainPEMPrivateKey() throws {
        let capture = Self.tlsFile("sip-tls13.pcap")
        let notPEM = Self.temp("not.pem"), encrypted = Self.temp("enc.pem")
        defer { for f in [notPEM, encrypted] { try? FileManager.default.removeItem(atPath: f) } }
        try "hello".write(toFile: notPEM, atomically: true, encoding: .utf8)
        try "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n".write(toFile: encrypted, atomically: true, encoding: .utf8)
        let r1 = try CommandRunner.buttonscope(["messages", capture, "--tls-key", notPEM])
        #expect(r1.status == 2 && r1.stderr.contains("--tls-key \(notPEM): not a PEM private key"), "\(r1.stderr)")
        let r2 = try CommandRunner.buttonscope(["messages", capture, "--tls-key", encrypted])
        #expect(r2.status == 2 && r2.stderr.contains("passphrase"), "\(r2.stderr)")
    }

    @Test func badLinesGiveOneWarningNamingTheFileAndLines() throws {
        let keys = Self.temp("keys.log")
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let good = try String(contentsOfFile: Self.tlsFile("sip-tls13.keys"), encoding: .utf8)
        try ("# comment\nthis is not a key line\n" + good + "CLIENT_RANDOM abc def\n").write(toFile: keys, atomically: true, encoding: .utf8)
        let r = try CommandRunner.buttonscope(["messages", Self.tlsFile("sip-tls13.pcap"), "--tls-keylog", keys])
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains("not key log lines") }
        #expect(warnings.count == 1, "\(r.stderr)")
        #expect(warnings.first?.contains("\(keys): 2 lines are not key log lines") == true, "\(r.stderr)")
        #expect(warnings.first?.contains("lines 2, 9") == true, "\(r.stderr)")
        #expect(warnings.first?.contains("5 keys read") == true, "\(r.stderr)")
    }

    @Test func sslKeyLogFileIsTheDefault() throws {
        let keys = Self.temp("env.log")
        defer { try? FileManager.default.removeItem(atPath: keys) }
        try "garbage line\n".write(toFile: keys, atomically: true, encoding: .utf8)
        let capture = Self.tlsFile("sip-tls13.pcap")
        let r = try CommandRunner.run("/usr/bin/env", ["SSLKEYLOGFILE=\(keys)", Paths.binary, "messages", capture])
        #expect(r.status == 0)
        #expect(r.stderr.contains("SSLKEYLOGFILE=\(keys): 1 line is not key log lines"), "read from the environment: \(r.stderr)")
        // Set for curl but never written: a warning, not a failure.
        let missing = try CommandRunner.run("/usr/bin/env", ["SSLKEYLOGFILE=/nonexistent/sslkeys.log", Paths.binary, "messages", capture])
        #expect(missing.status == 0 && missing.stderr.contains("SSLKEYLOGFILE=/nonexistent/sslkeys.log: no such file"), "\(missing.stderr)")
        // The option wins over the environment.
        let both = try CommandRunner.run("/usr/bin/env", ["SSLKEYLOGFILE=\(keys)", Paths.binary, "messages", capture,
                                                          "--tls-keylog", Self.tlsFile("sip-tls13.keys")])
        #expect(both.status == 0 && !both.stderr.contains("not key log lines"), "\(both.stderr)")
    }

    @Test func helpTeachesWhereKeyLogsComeFrom() throws {
        let r = try CommandRunner.buttonscope(["summary", "--help"])
        for words in ["--tls-keylog", "SSLKEYLOGFILE", "openssl s_client -keylogfile", "--tls-key"] {
            #expect(r.stdout.contains(words), "\(words) missing from help")
        }
    }

    /// tshark's SIP start lines in a file, with no key option at all: only embedded keys help.
    static func tsharkSIP(_ tshark: String, _ file: String) throws -> [String] {
        let r = try CommandRunner.run(tshark, ["-r", file, "-Y", "sip", "-T", "fields", "-e", "frame.number", "-e", "sip.Method", "-e", "sip.Status-Code"])
        return r.lines
    }

    @Test func tsharkReadsTheKeysEditcapEmbedded() throws {
        guard let tshark = CommandRunner.tool("tshark") else { return }
        #expect(try Self.tsharkSIP(tshark, Self.tlsFile("sip-tls13-dsb.pcapng")).count == 5)
        #expect(try Self.tsharkSIP(tshark, Self.tlsFile("sip-tls13.pcap")).isEmpty, "without keys tshark reads nothing")
    }

    /// `export` of TLS frames: the connection's handshake and earlier records come along, and
    /// its keys (only its own) are embedded: tshark decrypts the small file with no option.
    @Test(arguments: [["sip-tls13.pcap", "--tls-keylog", "BOTH"], ["sip-tls13-dsb.pcapng"]])
    func exportEmbedsTheKeysOfWhatItExports(_ args: [String]) throws {
        guard let tshark = CommandRunner.tool("tshark") else { return }
        let both = Self.temp("both.keys"), out = Self.temp("out.pcapng")
        defer { for f in [both, out] { try? FileManager.default.removeItem(atPath: f) } }
        let tls13 = try String(contentsOfFile: Self.tlsFile("sip-tls13.keys"), encoding: .utf8)
        let tls12 = try String(contentsOfFile: Self.tlsFile("sip-tls12.keys"), encoding: .utf8)
        try (tls12 + tls13).write(toFile: both, atomically: true, encoding: .utf8)
        let input = [Self.tlsFile(args[0])] + args.dropFirst().map { $0 == "BOTH" ? both : $0 }
        // Frames 16-17: the last MESSAGE and its 200, deep inside the connection.
        let r = try CommandRunner.buttonscope(["export"] + input + ["--frames", "16-17", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("the keys of 1 connection embedded"), "\(r.stderr)")
        #expect(r.stderr.contains("15 earlier frames of that connection added"), "\(r.stderr)")
        let sip = try Self.tsharkSIP(tshark, out)
        #expect(sip.count == 5, "tshark decrypts the export with no option: \(sip)")
        #expect(sip.last?.hasPrefix("17\t") == true, "\(sip)")
        // Only the exported connection's lines: the TLS 1.2 session's key is not in the file.
        let reader = try CaptureReader(path: out)
        var embedded = TLSSecrets()
        while reader.next() != nil { if let s = reader.takeSecrets() { embedded.merge(s) } }
        var expected = TLSSecrets()
        expected.addKeyLog(tls13)
        #expect(embedded == expected)
    }

    /// Without keys, a TLS export is what it always was: the selected frames, classic pcap.
    @Test func exportWithoutKeysIsUnchanged() throws {
        let out = Self.temp("plain.pcap")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try CommandRunner.buttonscope(["export", Self.tlsFile("sip-tls13.pcap"), "--frames", "16-17", "-o", out])
        #expect(r.status == 0 && r.stderr.contains("wrote 2 packets") && r.stderr.contains("as pcap"), "\(r.stderr)")
        #expect(!r.stderr.contains("TLS"), "\(r.stderr)")
    }

    /// Summary says how many TLS connections went unread for want of keys, and how to supply them.
    @Test func summarySaysWhatKeysAreMissing() throws {
        let r = try CommandRunner.buttonscope(["summary", Self.tlsFile("sip-tls12.pcap")])
        #expect(r.status == 0)
        let line = r.lines.first { $0.hasPrefix("TLS:") }
        #expect(line?.contains("1 connection without keys") == true, "\(r.stdout)")
        #expect(line?.contains("--tls-keylog FILE (or set SSLKEYLOGFILE)") == true, "\(r.stdout)")
        let json = try CommandRunner.buttonscope(["summary", "--json", Self.tlsFile("sip-tls12.pcap")])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let tls = doc?["tls"] as? [String: Any]
        #expect(tls?["keys_missing"] as? Int == 1)
        #expect((tls?["connections"] as? [Any])?.count == 1)
        // A capture without TLS: no TLS line, no `tls` field.
        let plain = try CommandRunner.buttonscope(["summary", "--json", Paths.capture("why-all-good.pcap")])
        #expect(!plain.stdout.contains("\"tls\""))
    }
}
