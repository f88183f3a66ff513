import Foundation
import Testing
import TestSupport

/// SIP over TLS captures (captures/tls/, made by OpenSSL on loopback) read with their keys: the
/// key states the manifest lists, and without keys (or with wrong ones) a clear account of what
/// was not read. The frame-by-frame agreement with tshark is TsharkCrossCheckTests'.
@Suite struct TLSCaptureTests {
    static func entries() throws -> [(name: String, facts: [String: Any])] {
        let url = Paths.captures.appendingPathComponent("expected-tls.json")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [String: Any]] ?? [:]
        return doc.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static var names: [String] { ((try? entries()) ?? []).map(\.name) }

    static func options(_ facts: [String: Any]) -> [String] {
        (facts["buttonscope_options"] as? [String] ?? []).map { $0.replacingOccurrences(of: "{captures}", with: Paths.captures.path) }
    }

    @Test("key states with the keys", arguments: names)
    func timelineWithKeys(_ name: String) throws {
        let facts = try #require(try Self.entries().first { $0.name == name }?.facts)
        let timeline = try #require(facts["timeline"] as? [String: Any])
        let phone = try #require(timeline["phone"] as? String), key = try #require(timeline["key"] as? String)
        let r = try CommandRunner.buttonscope(["timeline", Paths.capture(name), "--phone", phone, "--key", key, "--json"] + Self.options(facts))
        let lights = try CommandRunner.ndjson(r.stdout).compactMap { ($0["state"] as? [String: Any])?["light"] as? String }
        #expect(lights == timeline["lights"] as? [String], "\(name): \(r.stderr)")
        #expect(!r.stderr.contains("tls-wrong-keys") && !r.stderr.contains("tls-unreadable"), "\(name): \(r.stderr)")
    }

    @Test("without keys: every connection named with its client random", arguments: names)
    func withoutKeys(_ name: String) throws {
        let facts = try #require(try Self.entries().first { $0.name == name }?.facts)
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
        #expect(try CommandRunner.ndjson(r.stdout).isEmpty)
        let lines = r.stderr.split(separator: "\n").filter { $0.contains("tls-unreadable") }
        #expect(lines.count == facts["tls_connections"] as? Int, "\(name): \(r.stderr)")
        for line in lines {
            #expect(line.contains("client random") && line.contains("records left unread") && line.contains("--tls-"), "\(line)")
        }
    }

    @Test func wrongKeysAreReportedAndNothingIsRead() throws {
        // The key log of these connections with every secret's last byte changed.
        let keys = Paths.captures.appendingPathComponent("tls/tls13-suites.keys")
        let text = try String(contentsOf: keys, encoding: .utf8)
        let tampered = text.split(separator: "\n").map { line -> String in
            guard !line.hasPrefix("#"), let last = line.last else { return String(line) }
            return line.dropLast() + (last == "0" ? "1" : "0")
        }.joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tlscore-wrong-\(getpid()).keys")
        try tampered.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("tls13-suites.pcap"), "--tls-keylog", file.path])
        #expect(try CommandRunner.ndjson(r.stdout).isEmpty)
        #expect(r.stderr.contains("tls-wrong-keys"))
    }

    @Test func keyLogOfOtherConnectionsUnlocksNothing() throws {
        let other = Paths.captures.appendingPathComponent("tls/tls12-suites.keys").path
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("tls13-suites.pcap"), "--tls-keylog", other])
        #expect(try CommandRunner.ndjson(r.stdout).isEmpty)
        #expect(r.stderr.split(separator: "\n").filter { $0.contains("tls-unreadable") }.count == 3)
    }

    /// tshark's handshake fields of a capture: server port and the field asked, per ServerHello.
    static func serverHellos(_ tshark: String, _ name: String, field: String) throws -> [(port: String, value: String)] {
        let r = try CommandRunner.run(tshark, ["-r", Paths.capture(name), "-Y", "tls.handshake.type == 2",
                                               "-T", "fields", "-e", "tcp.srcport", "-e", field])
        return r.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }.filter { $0.count == 2 }.map { ($0[0], $0[1]) }
    }

    /// tls13-hrr.pcap holds what its manifest says: in each connection a HelloRetryRequest (a
    /// ServerHello whose random is RFC 8446's fixed value) before the real ServerHello.
    @Test func theHelloRetryRequestIsInTheCapture() throws {
        guard let tshark = CommandRunner.tool("tshark") else { return }
        let hrrRandom = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
        let hellos = try Self.serverHellos(tshark, "tls13-hrr.pcap", field: "tls.handshake.random")
        #expect(hellos.map(\.port) == ["5111", "5111", "5112", "5112"], "\(hellos)")
        #expect(hellos.map { $0.value == hrrRandom } == [true, false, true, false], "\(hellos)")
    }

    /// tls12-dhe.pcap holds the DHE suites its manifest names, one per port.
    @Test func theDHESuitesAreInTheCapture() throws {
        guard let tshark = CommandRunner.tool("tshark") else { return }
        let suites = try Self.serverHellos(tshark, "tls12-dhe.pcap", field: "tls.handshake.ciphersuite")
        let expected = [("5101", "0x009e"), ("5102", "0x009f"), ("5103", "0xccaa"), ("5104", "0x0067"), ("5105", "0x0039")]
        #expect(suites.map { "\($0.port) \($0.value)" } == expected.map { "\($0.0) \($0.1)" }, "\(suites)")
    }

    @Test func messagesSayTransportTLS() throws {
        let keys = Paths.captures.appendingPathComponent("tls/tls13-suites.keys").path
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("tls13-suites.pcap"), "--tls-keylog", keys])
        let messages = try CommandRunner.ndjson(r.stdout)
        #expect(messages.count == 30)
        #expect(messages.allSatisfy { $0["transport"] as? String == "tls" })
    }
}
