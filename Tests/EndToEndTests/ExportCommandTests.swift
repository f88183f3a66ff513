import Foundation
import Testing
import TestSupport

/// `export` writes captures that ButtonScope and tshark read back with the same messages, every
/// fragment and segment kept.
@Suite struct ExportCommandTests {
    static func temporary(_ ext: String = "pcap") -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).\(ext)").path
    }

    static func messages(_ file: String) throws -> [[String: Any]] {
        let r = try CommandRunner.buttonscope(["messages", file, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try CommandRunner.ndjson(r.stdout)
    }

    /// (method or status, Call-ID, CSeq) of each message: what must survive an export.
    static func identities(_ list: [[String: Any]]) -> [String] {
        list.map { "\($0["method"] as? String ?? String($0["status"] as? Int ?? 0)) \($0["call_id"] as? String ?? "-") \($0["cseq_number"] as? Int ?? -1)" }
    }

    static func magic(_ file: String) -> [UInt8] {
        Array((FileManager.default.contents(atPath: file) ?? Data()).prefix(4))
    }

    @Test(arguments: ["tcp-split-header-body.pcap", "udp-fragments-out-of-order.pcap"])
    func everyMessageSurvivesWithItsPackets(_ name: String) throws {
        let source = Paths.capture(name)
        let original = try Self.messages(source)
        try #require(!original.isEmpty)
        // Select by Call-ID: every message of the capture, whichever packets carried them.
        let callIDs = Set(original.compactMap { $0["call_id"] as? String })
        var exported: [[String: Any]] = []
        for callID in callIDs.sorted() {
            let out = Self.temporary()
            let r = try CommandRunner.buttonscope(["export", source, "--call-id", callID, "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.magic(out) == [0xd4, 0xc3, 0xb2, 0xa1], "one link type: classic pcap")
            let back = try Self.messages(out)
            #expect(back.allSatisfy { $0["call_id"] as? String == callID })
            // Each message needed as many packets as in the original: fragments and segments kept.
            let wanted = original.filter { $0["call_id"] as? String == callID }
            #expect(back.map { ($0["frames"] as? [Int])?.count ?? 0 } == wanted.map { ($0["frames"] as? [Int])?.count ?? 0 })
            #expect(back.map { $0["diagnostics"] as? [String] ?? [] } == wanted.map { $0["diagnostics"] as? [String] ?? [] })
            exported += back
            if let tshark = CommandRunner.tool("tshark") {
                let t = try CommandRunner.run(tshark, ["-r", out, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"])
                #expect(t.status == 0, "\(t.stderr)")
                // tshark reassembles the fragments and segments: it finds each message once.
                #expect(t.lines.filter { $0 == callID }.count == wanted.count, "\(t.stdout)")
            }
        }
        #expect(Self.identities(exported).sorted() == Self.identities(original).sorted())
        // Fragmented messages really were fragmented: this test is about keeping every piece.
        #expect(original.contains { (($0["frames"] as? [Int])?.count ?? 0) > 1 })
    }

    @Test func phoneAndKeyKeepTheKeysDocumentsAndTheirAnswers() throws {
        let source = Paths.capture("spec-incoming-call-key3-udp.pcap")
        let out = Self.temporary()
        let r = try CommandRunner.buttonscope(["export", source, "--phone", "44", "--key", "3", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let back = try Self.messages(out)
        let timeline = try CommandRunner.ndjson(try CommandRunner.buttonscope(["timeline", source, "--phone", "44", "--key", "3", "--json"]).stdout)
        let keyCallIDs = Set(timeline.compactMap { $0["call_id"] as? String })
        try #require(!keyCallIDs.isEmpty)
        let requests = back.filter { $0["method"] != nil && !($0["method"] is NSNull) }
        let answers = back.filter { $0["status"] is Int }
        // Exactly the key-3 documents (no REGISTER, nothing for other phones) and one 200 each.
        #expect(requests.allSatisfy { $0["method"] as? String == "MESSAGE" })
        #expect(Set(requests.compactMap { $0["call_id"] as? String }) == keyCallIDs)
        #expect(requests.count == timeline.count)
        #expect(answers.count == requests.count && answers.allSatisfy { $0["status"] as? Int == 200 })
        #expect(Set(answers.compactMap { $0["call_id"] as? String }) == keyCallIDs)
        // The original had more than that (the registration): the export is a real selection.
        #expect(try Self.messages(source).count > back.count)
    }

    @Test func severalLinkTypesGivePcapng() throws {
        let source = Paths.capture("multi-interface.pcapng")
        let out = Self.temporary("pcapng")
        let r = try CommandRunner.buttonscope(["export", source, "--frames", "1-100000", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.magic(out) == [0x0a, 0x0d, 0x0d, 0x0a])
        #expect(Self.identities(try Self.messages(out)) == Self.identities(try Self.messages(source)))
        if let tshark = CommandRunner.tool("tshark") {
            let t = try CommandRunner.run(tshark, ["-r", out])
            let original = try CommandRunner.run(tshark, ["-r", source])
            #expect(t.status == 0 && t.lines.count == original.lines.count, "\(t.stderr)")
        }
    }

    @Test func framesKeepTheRestOfTheirMessage() throws {
        // Frame 3 is one fragment of the MESSAGE completed at frame 5: all three come along.
        let source = Paths.capture("udp-fragments-out-of-order.pcap")
        let original = try Self.messages(source)
        let fragmented = try #require(original.first { (($0["frames"] as? [Int])?.count ?? 0) > 1 })
        let frames = try #require(fragmented["frames"] as? [Int])
        let out = Self.temporary()
        let r = try CommandRunner.buttonscope(["export", source, "--frames", String(frames[0]), "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let back = try Self.messages(out)
        #expect(back.contains { $0["call_id"] as? String == fragmented["call_id"] as? String && ($0["frames"] as? [Int])?.count == frames.count })
    }

    @Test func nothingSelectedIsAnError() throws {
        let source = Paths.capture("spec-incoming-call-key3-udp.pcap")
        #expect(try CommandRunner.buttonscope(["export", source, "-o", Self.temporary()]).status == 2)
        #expect(try CommandRunner.buttonscope(["export", source, "--frames", "5-2", "-o", Self.temporary()]).status == 2)
        #expect(try CommandRunner.buttonscope(["export", source, "--phone", "nobody", "-o", Self.temporary()]).status == 2)
    }
}
