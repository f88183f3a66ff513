import Foundation
import Testing
import TestSupport

/// `buttonscope messages` as a user runs it: files, stdin, damaged and wrong input.
@Suite struct MessagesCommandTests {
    @Test func readsFromStdinLikeAFile() throws {
        let file = Paths.capture("tcp-split-header-body.pcap")
        let fromFile = try CommandRunner.buttonscope(["messages", "--json", file])
        let fromStdin = try CommandRunner.buttonscope(["messages", "--json", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(fromFile.status == 0)
        #expect(fromStdin.status == 0)
        #expect(!fromFile.stdout.isEmpty)
        #expect(fromStdin.stdout == fromFile.stdout)
    }

    @Test func messageSplitAcrossSegmentsListsAllItsFrames() throws {
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("tcp-split-header-body.pcap")])
        let message = try #require(try CommandRunner.ndjson(r.stdout).first { $0["method"] as? String == "MESSAGE" })
        let frames = try #require(message["frames"] as? [Int])
        #expect(frames.count == 3)
        #expect(message["frame"] as? Int == frames.max())
        #expect(message["content_length"] as? Int == message["body_length"] as? Int)
    }

    @Test(arguments: [
        ("not-a-capture.pcap", "not a pcap or pcapng capture"),
        ("does-not-exist.pcap", "cannot open"),
    ])
    func unusableInputIsOneLineAndExitTwo(_ name: String, _ words: String) throws {
        let path = Paths.capture(name)
        let r = try CommandRunner.buttonscope(["messages", path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.contains(words))
        #expect(r.stderr.contains(name))
    }

    @Test func emptyStdinIsUnusable() throws {
        let r = try CommandRunner.buttonscope(["messages", "-"], stdin: Data())
        #expect(r.status == 2)
        #expect(r.stderr.contains("stdin"))
    }

    /// Damage part-way through: everything before it is analysed, the damage named with its frame.
    @Test(arguments: [("cut-short.pcap", "file-truncated"), ("garbage-after-start.pcap", "file-garbage")])
    func damagedFileReportsFrameAndKeepsWhatCameBefore(_ name: String, _ code: String) throws {
        let r = try CommandRunner.buttonscope(["messages", Paths.capture(name)])
        #expect(r.status == 0)
        #expect(r.stdout.contains(code))
        #expect(r.stdout.contains("frame "))
        let json = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
        #expect(try CommandRunner.ndjson(json.stdout).count >= 2)
        #expect(json.stderr.contains(code))
    }

    /// The reader diagnostics the manifest says each crafted capture must produce.
    @Test func readerDiagnosticsFromTheManifest() throws {
        let manifest = try Manifest.entries()
        var checked = 0
        for (name, facts) in manifest.sorted(by: { $0.key < $1.key }) {
            guard let codes = facts["reader_diagnostics"] as? [String], !codes.isEmpty else { continue }
            let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
            let reported = r.stdout + r.stderr
            for code in codes where code != "not-a-capture" {
                #expect(reported.contains(code), "\(name) must report \(code)")
            }
            if codes.contains("not-a-capture") { #expect(r.status == 2, "\(name) is not a capture: exit 2") }
            checked += 1
        }
        #expect(checked >= 6)
    }
}
