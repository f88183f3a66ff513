import Foundation
import Testing
import TestSupport

/// README and every `--help`: "Exit status: 0 clean, 1 problems found …, 2 unusable input or
/// arguments." swift-argument-parser's own code for an argument error is 64; the CLI's entry
/// point maps it to 2, keeping the parser's message on stderr.
@Suite struct ExitStatusTests {
    @Test("an argument error exits 2 with the parser's message", arguments: [
        ["why", "captures/why-overwritten.pcap"],          // --phone missing
        ["summary", "--bogus"],                            // unknown option
        ["send", "k=1"],                                   // --to missing
        ["timeline", Paths.capture("why-overwritten.pcap"), "--key"], // option without its value
    ])
    func argumentErrorExitsTwo(_ args: [String]) throws {
        let r = try CommandRunner.buttonscope(args)
        #expect(r.status == 2, "\(args): exit \(r.status), stderr \(r.stderr)")
        #expect(r.stderr.contains("Error:") && r.stderr.contains("Usage:"), "\(args): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("--help exits 0 and --version prints the version")
    func helpAndVersion() throws {
        let help = try CommandRunner.buttonscope(["lint", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE:"))
        let version = try CommandRunner.buttonscope(["--version"])
        #expect(version.status == 0)
        let v = version.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(v.split(separator: ".").count == 3, "--version printed \(version.stdout)")
        // The version comes from one place: the report's footer shows the same.
        let page = try CommandRunner.buttonscope(["report", Paths.capture("why-all-good.pcap"), "-o", "-"])
        #expect(page.stdout.contains("ButtonScope \(v).</footer>"))
    }

    @Test("a clean run still exits 0")
    func cleanRunExitsZero() throws {
        #expect(try CommandRunner.buttonscope(["summary", Paths.capture("why-all-good.pcap")]).status == 0)
    }
}
