import Foundation
import Testing
import TestSupport

/// Issue 11's "Tests": wrong keys, a truncated key log, a key log line for another connection, a
/// record cut by the snap length, a capture that starts mid-connection — each a clear line naming
/// the connection, and the other connections of the capture still read. All on
/// captures/tls12-dhe.pcap (five TLS 1.2 DHE connections, ports 5101-5105, ten SIP messages each;
/// made by captures/tls/make_tls_dhe.py), edited as editcap would (`-s` on one frame, `-r`).
@Suite struct TLSDiagnosticsTests {
    static let capture = Paths.capture("tls12-dhe.pcap")
    static let keys = Paths.captures.appendingPathComponent("tls/tls12-dhe.keys").path

    /// The key log's CLIENT_RANDOM lines in connection order (5101 … 5105; line 1 is a comment).
    static func keyLines() throws -> [String] {
        try String(contentsOfFile: keys, encoding: .utf8).split(separator: "\n").map(String.init).filter { $0.hasPrefix("CLIENT_RANDOM ") }
    }

    static func clientRandom(_ connection: Int) throws -> String {
        String(try keyLines()[connection - 1].split(separator: " ")[1])
    }

    static func name(_ connection: Int) -> String { "127.0.22.2:\(6100 + connection) → 127.0.22.1:\(5100 + connection)" }

    static func temp(_ name: String) -> String { NSTemporaryDirectory() + "bs-tlsdiag-\(UUID().uuidString)-\(name)" }

    /// The messages read and the stderr lines, from `messages --json`.
    static func read(_ file: String, _ options: [String]) throws -> (status: Int32, messages: [[String: Any]], stderr: [String]) {
        let r = try CommandRunner.buttonscope(["messages", "--json", file] + options)
        return (r.status, try CommandRunner.ndjson(r.stdout), r.stderr.split(separator: "\n").map(String.init))
    }

    /// The messages of connection `n` (by the PBX's port).
    static func of(_ n: Int, _ messages: [[String: Any]]) -> [[String: Any]] {
        messages.filter { ($0["src"] as? String)?.hasSuffix(":\(5100 + n)") == true || ($0["dst"] as? String)?.hasSuffix(":\(5100 + n)") == true }
    }

    @Test func theWholeCaptureIsTheBaseline() throws {
        let r = try Self.read(Self.capture, ["--tls-keylog", Self.keys])
        #expect(r.status == 0 && r.messages.count == 50, "\(r.stderr)")
        for n in 1...5 { #expect(Self.of(n, r.messages).count == 10, "connection \(n)") }
    }

    /// Wrong keys: the first connection's master secret changed (its last byte). Each direction
    /// says so once, at its first record (the Finished: frames 8 and 9); nothing of it is read as
    /// SIP; the four other connections are read whole.
    @Test func wrongKeysAreNamedAndTheOtherConnectionsRead() throws {
        var lines = try String(contentsOfFile: Self.keys, encoding: .utf8).split(separator: "\n").map(String.init)
        let last = lines[1].removeLast()
        lines[1].append(last == "0" ? "1" : "0")
        let file = Self.temp("wrong.keys")
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try Self.read(Self.capture, ["--tls-keylog", file])
        let random = try Self.clientRandom(1)
        let wrong = r.stderr.filter { $0.contains("tls-wrong-keys") }
        #expect(wrong.count == 2, "\(r.stderr)")
        for (frame, peer) in [(8, "client"), (9, "server")] {
            let text = "frame \(frame): a TLS record from the \(peer) (\(Self.name(1))) does not authenticate with the keys given for client random \(random): wrong keys, or bytes that are no record of this connection; skipped, never read as SIP"
            #expect(wrong.contains { $0.hasSuffix(text) }, "missing: \(text)\n\(r.stderr)")
        }
        // `messages` exits 0 when the capture was read (its --help); summary names the problem.
        #expect(r.status == 0, "exit \(r.status)")
        let summary = try CommandRunner.buttonscope(["summary", Self.capture, "--tls-keylog", file])
        #expect(summary.status == 0)
        #expect(summary.lines.contains { $0.hasPrefix("  ERROR tls-wrong-keys ×2 (e.g. frame 8): frame 8: a TLS record from the client (\(Self.name(1)))") }, "\(summary.stdout)")
        // Its 31 frames (1-31) are booked as what they are: keys given, wrong.
        #expect(summary.lines.contains("Not read: 31 frames — 31 TLS with wrong keys (first frame 1)"), "\(summary.stdout)")
        #expect(Self.of(1, r.messages).isEmpty)
        #expect(r.messages.count == 40)
        for n in 2...5 { #expect(Self.of(n, r.messages).count == 10, "connection \(n)") }
    }

    /// A key log cut inside its last line (copied while the TLS stack was writing it): the line is
    /// named, the keys before it are used, and the connection it was for is named with the line it
    /// needs.
    @Test func aTruncatedKeyLogSaysWhereItWasCut() throws {
        let text = try String(contentsOfFile: Self.keys, encoding: .utf8)
        let lastLine = try Self.keyLines()[4]
        let cut = String(text.dropLast(1 + lastLine.count / 2)) // the newline and half the line
        let file = Self.temp("cut.keys")
        try cut.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try Self.read(Self.capture, ["--tls-keylog", file])
        let warning = "\(file): 1 line is not key log lines (LABEL <client random> <secret>), skipped: line 6; 4 keys read; the file ends inside line 6: cut short (copied while it was still being written?)"
        #expect(r.stderr.contains { $0.hasSuffix(warning) }, "\(r.stderr)")
        let random = try Self.clientRandom(5)
        let unread = "frame 129: TLS 1.2 connection \(Self.name(5)), TLS_DHE_RSA_WITH_AES_256_CBC_SHA (0x0039): 14 records left unread, no keys for client random \(random): the key log line 'CLIENT_RANDOM \(random) <master secret>' unlocks it (--tls-keylog FILE)"
        #expect(r.stderr.contains { $0.contains("tls-unreadable") && $0.hasSuffix(unread) }, "missing: \(unread)\n\(r.stderr)")
        #expect(r.status == 0, "keys missing for one connection is said, not a failure: exit \(r.status)")
        #expect(r.messages.count == 40 && Self.of(5, r.messages).isEmpty)
    }

    /// A key log that holds lines for other connections (another capture's) and for all but the
    /// first connection of this one: the first is named with its client random, the rest read.
    @Test func aKeyLogLineForAnotherConnectionUnlocksNothing() throws {
        let other = try String(contentsOfFile: Paths.captures.appendingPathComponent("tls/tls13-hrr.keys").path, encoding: .utf8)
        let file = Self.temp("other.keys")
        try (other + (try Self.keyLines().dropFirst().joined(separator: "\n")) + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try Self.read(Self.capture, ["--tls-keylog", file])
        let random = try Self.clientRandom(1)
        let unread = "frame 4: TLS 1.2 connection \(Self.name(1)), TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009E): 14 records left unread, no keys for client random \(random): the key log line 'CLIENT_RANDOM \(random) <master secret>' unlocks it (--tls-keylog FILE)"
        #expect(r.stderr.filter { $0.contains("tls-unreadable") }.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains { $0.hasSuffix(unread) }, "missing: \(unread)\n\(r.stderr)")
        #expect(!r.stderr.contains { $0.contains("tls-wrong-keys") }, "another connection's keys are not wrong keys: \(r.stderr)")
        #expect(r.messages.count == 40 && Self.of(1, r.messages).isEmpty)
        // summary: the count and the option that helps.
        let s = try CommandRunner.buttonscope(["summary", Self.capture, "--tls-keylog", file])
        let line = s.lines.first { $0.hasPrefix("TLS:") }
        #expect(line?.contains("1 connection without keys") == true && line?.contains("--tls-keylog FILE") == true, "\(s.stdout)")
    }

    /// `state`, `why`, `timeline` and `lint` answer from the messages: without keys they say on
    /// stderr that their answer leaves out what the TLS connections carried, and how to help.
    @Test(arguments: [["state"], ["why", "--phone", "44", "--key", "3"], ["timeline"], ["lint"]])
    func answersWithoutKeysSaySoOnStderr(_ command: [String]) throws {
        let without = try CommandRunner.buttonscope(command + [Self.capture])
        let note = "buttonscope: note: 5 TLS connections could not be read, so this answer leaves out the SIP they carried: give the key log the TLS endpoint wrote: --tls-keylog FILE (or set SSLKEYLOGFILE), or --tls-key PBX-KEY.pem for TLS 1.2 with RSA key exchange (`buttonscope summary` names them)"
        #expect(without.stderr.split(separator: "\n").map(String.init) == [note], "\(command[0]): \(without.stderr)")
        let with = try CommandRunner.buttonscope(command + [Self.capture, "--tls-keylog", Self.keys])
        #expect(with.stderr.isEmpty, "\(command[0]): \(with.stderr)")
        #expect(with.status == 0, "\(command[0]): exit \(with.status)")
    }

    /// Frame 12 cut to 200 bytes (editcap -s on that frame): it held the first 1 486 bytes of the
    /// record with the initial state (1 882 bytes, ending in frame 14). That record is lost and
    /// said so at frame 12; the connection's records after it and the other connections are read.
    @Test func aRecordCutByTheSnapLengthIsNamed() throws {
        let file = Self.temp("snap.pcap")
        try PcapEditing.cut(Data(contentsOf: URL(fileURLWithPath: Self.capture)), frame: 12, to: 200).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try Self.read(file, ["--tls-keylog", Self.keys])
        let text = "frame 12: the capture's snap length cut a TLS record from the server (\(Self.name(1))): it cannot be decrypted, and a SIP message in it is lost; capture with a larger snap length (tcpdump -s 0)"
        #expect(r.stderr.contains { $0.contains("tls-record-truncated") && $0.hasSuffix(text) }, "missing: \(text)\n\(r.stderr)")
        #expect(!r.stderr.contains { $0.contains("tls-wrong-keys") }, "\(r.stderr)")
        let first = Self.of(1, r.messages)
        // Everything but the initial-state MESSAGE (frame 14) of connection 1.
        #expect(first.count == 9, "\(first.map { $0["frame"] ?? "?" })")
        #expect(!first.contains { $0["frame"] as? Int == 14 })
        #expect(first.contains { $0["frame"] as? Int == 24 && $0["method"] as? String == "MESSAGE" })
        #expect(r.messages.count == 49)
        #expect(r.status == 0, "exit \(r.status)")
    }

    /// The capture starts at frame 10 (editcap -r 10-): the first connection's handshake is not in
    /// it. Said so, with the records left unread; the connections after it are read whole.
    @Test func aCaptureStartingMidConnectionSaysSo() throws {
        let file = Self.temp("mid.pcap")
        try PcapEditing.keep(Data(contentsOf: URL(fileURLWithPath: Self.capture)), from: 10).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try Self.read(file, ["--tls-keylog", Self.keys])
        // Frame 10 is now frame 1: ten application data records (frames 10-26 before) are unread.
        let text = "frame 1: TLS connection \(Self.name(1)): the capture began inside it (no handshake), so its client random is unknown and no key log can unlock it: 10 records left unread (its messages cannot be read from the capture; --tls-keylog FILE needs the handshake)"
        #expect(r.stderr.contains { $0.contains("tls-unreadable") && $0.hasSuffix(text) }, "missing: \(text)\n\(r.stderr)")
        #expect(r.messages.count == 40 && Self.of(1, r.messages).isEmpty)
        for n in 2...5 { #expect(Self.of(n, r.messages).count == 10, "connection \(n)") }
        #expect(r.status == 0, "exit \(r.status)")
    }
}

/// What editcap does to a classic pcap, for one frame or a range: enough for the tests above.
enum PcapEditing {
    struct Record { var header: Data; var bytes: Data }

    static func split(_ data: Data) -> (header: Data, records: [Record]) {
        let bytes = [UInt8](data)
        func le32(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24 }
        var records: [Record] = []
        var i = 24
        while i + 16 <= bytes.count {
            let length = le32(i + 8)
            records.append(Record(header: Data(bytes[i..<(i + 16)]), bytes: Data(bytes[(i + 16)..<(i + 16 + length)])))
            i += 16 + length
        }
        return (Data(bytes[0..<24]), records)
    }

    static func join(_ header: Data, _ records: [Record]) -> Data {
        records.reduce(into: header) { $0 += $1.header + $1.bytes }
    }

    /// `editcap -s LENGTH`, on frame `frame` (1-based) only: the original length is kept.
    static func cut(_ data: Data, frame: Int, to length: Int) -> Data {
        var (header, records) = split(data)
        var r = records[frame - 1]
        r.bytes = r.bytes.prefix(length)
        var h = [UInt8](r.header)
        for k in 0..<4 { h[8 + k] = UInt8((length >> (8 * k)) & 0xff) }
        r.header = Data(h)
        records[frame - 1] = r
        return join(header, records)
    }

    /// `editcap -r IN OUT FROM-`: frames from `from` (1-based) on.
    static func keep(_ data: Data, from: Int) -> Data {
        let (header, records) = split(data)
        return join(header, Array(records.dropFirst(from - 1)))
    }
}
