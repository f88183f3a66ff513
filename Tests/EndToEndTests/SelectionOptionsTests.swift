import Foundation
import Testing
import TestSupport

/// One selection option group (`--frames`, `--phone`, `--key`, `--call-id`, `--from`, `--until`)
/// for replay, export, watch and phone, with replay's old `--select` kept as an alias.
@Suite struct SelectionOptionsTests {
    static let options = ["--frames", "--phone", "--key", "--call-id", "--from", "--until"]

    @Test(arguments: ["replay", "export", "watch", "phone"])
    func everyCommandOffersTheSameGroup(_ command: String) throws {
        let help = try CommandRunner.buttonscope([command, "--help"])
        #expect(help.status == 0)
        let section = try #require(help.stdout.range(of: "SELECTION:"), "\(command) --help has no Selection group")
        let text = help.stdout[section.lowerBound...]
        for option in Self.options { #expect(text.contains(option), "\(command): \(option)") }
    }

    @Test func selectIsTheOldSpellingOfFrames() throws {
        let capture = Paths.capture("udp-fragments-out-of-order.pcap")
        var written: [Data] = []
        for spelling in ["--frames", "--select"] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("select-\(UUID().uuidString).pcap").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let run = try CommandRunner.buttonscope(["export", capture, spelling, "7", "-o", out])
            #expect(run.status == 0, "\(spelling): \(run.stderr)")
            written.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(written[0].count > 24 && written[0] == written[1])
    }

    @Test(arguments: [["export", "--frames", "x-y"], ["replay", "--to", "sip:44@127.0.0.1", "--select", "5-3"],
                      ["export", "--from", "25:00"], ["replay", "--to", "sip:44@127.0.0.1", "--until", "noon"]])
    func aBadSelectionIsExitTwoNamingTheOption(_ args: [String]) throws {
        let capture = Paths.capture("udp-fragments-out-of-order.pcap")
        let run = try CommandRunner.buttonscope([args[0], capture] + args.dropFirst() + (args[0] == "export" ? ["-o", "/dev/null"] : []))
        #expect(run.status == 2)
        let option = args.first { ["--frames", "--select", "--from", "--until"].contains($0) }!
        #expect(run.stderr.contains(option == "--select" ? "--frames" : option), "\(run.stderr)")
    }

    @Test(arguments: ["--frames", "--phone", "--call-id"])
    func thePhoneRefusesWhatItsKeyChangesDoNotHave(_ option: String) throws {
        let run = try CommandRunner.buttonscope(["phone", "--listen", "udp:127.0.0.1:0", "--user", "44", option, "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(option): the emulated phone prints key changes"), "\(run.stderr)")
    }
}
