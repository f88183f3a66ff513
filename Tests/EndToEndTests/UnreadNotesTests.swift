import Foundation
import Testing
import TestSupport

/// "Silence about what could not be read is the worst answer a diagnostic tool can give" (the
/// brief): a file that ends inside a packet, or TLS without its keys, is said by every command that
/// does not list the capture's problems itself, on stderr, and in the one JSON document of `state`
/// and `why` for a script that reads stdout only.
/// captures/cut-short.pcap: three MESSAGE + 200 pairs, the file ending 100 bytes before the end of
/// frame 6. captures/tls-5061.pcap: a TLS 1.3 connection to 5061 (no keys given) beside plain UDP.
@Suite struct UnreadNotesTests {
    static let cut = Paths.capture("cut-short.pcap")
    static let tls = Paths.capture("tls-5061.pcap")
    static let whole = Paths.capture("spec-incoming-call-key3-udp.pcap")
    static let cutNote = "buttonscope: note: this answer leaves out the rest of the file: frame 6: the file ends inside a packet (252 of 352 bytes captured); the 5 frames before it were read"
    static let tlsNote = "buttonscope: note: 1 TLS connection could not be read"

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a file cut short is said by state, lint, timeline, exchanges and why", arguments: [
        ["state"], ["state", "--json"], ["lint"], ["lint", "--json"], ["timeline"], ["timeline", "--json"],
        ["exchanges"], ["exchanges", "--json"], ["why", "--phone", "44", "--key", "5"],
    ])
    func fileCut(_ command: [String]) throws {
        let r = try CommandRunner.buttonscope(command + [Self.cut])
        #expect(r.stderr.split(separator: "\n").map(String.init).contains(Self.cutNote), "\(command): \(r.stderr)")
        // The frames before the damage are still read and answered.
        #expect(r.status != 2)
        #expect(!r.stdout.isEmpty || command.contains("--json"))
    }

    @Test func fileCutInJSON() throws {
        for command in [["state", "--json"], ["why", "--json", "--phone", "44", "--key", "5"]] {
            let r = try CommandRunner.buttonscope(command + [Self.cut])
            let cut = try #require(try Self.object(r.stdout)["file_cut"] as? [String: Any], "\(command)")
            #expect(cut["code"] as? String == "file-truncated")
            #expect(cut["frame"] as? Int == 6)
            #expect((cut["message"] as? String)?.contains("the 5 frames before it were read") == true)
        }
    }

    @Test func tlsWithoutKeys() throws {
        let ex = try CommandRunner.buttonscope(["exchanges", Self.tls])
        #expect(ex.stderr.hasPrefix(Self.tlsNote), "\(ex.stderr)")
        let state = try Self.object(try CommandRunner.buttonscope(["state", "--json", Self.tls]).stdout)
        let tls = try #require(state["tls"] as? [String: Any])
        #expect(tls["keys_missing"] as? Int == 1)
        let connections = try #require(tls["connections"] as? [[String: Any]])
        #expect(connections.first?["frame"] as? Int == 4)
    }

    @Test("a whole capture read with nothing left out has no note and no field")
    func nothingLeftOut() throws {
        for command in [["state"], ["exchanges"], ["lint"], ["timeline"]] {
            let r = try CommandRunner.buttonscope(command + [Self.whole])
            #expect(!r.stderr.contains("buttonscope: note:"), "\(command): \(r.stderr)")
        }
        let state = try Self.object(try CommandRunner.buttonscope(["state", "--json", Self.whole]).stdout)
        #expect(state["file_cut"] == nil && state["tls"] == nil)
    }
}
