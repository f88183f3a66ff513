import Foundation
import Testing
import TestSupport

/// Issue 14: "Outputs unchanged, byte for byte, on every capture in `captures/` (a test holds them)".
/// Every capture, every command of `scripts/same-outputs`: stdout, stderr and exit status compared
/// byte for byte with `Golden/`, which `scripts/golden` wrote from the build before the move.
/// When an output is meant to change, run `scripts/golden` and commit the difference it shows.
@Suite struct GoldenOutputTests {
    static let golden = Paths.golden

    static func lines(_ file: String) -> [String] {
        let text = (try? String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Relative paths (`captures/…`), as the script ran them: outputs name the file as given.
    static var captures: [String] { lines("captures.txt") }
    static var commands: [String] { lines("commands.txt") }

    @Test("the golden set names every capture in captures/")
    func everyCapture() throws {
        let root = Paths.root.path + "/"
        let found = FileManager.default.enumerator(atPath: Paths.captures.path)?
            .compactMap { $0 as? String }
            .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }
            .map { "captures/" + $0 } ?? []
        #expect(!found.isEmpty, "no captures under \(root)captures")
        #expect(Set(found) == Set(Self.captures), "captures/ and Golden/captures.txt differ: run scripts/golden")
        #expect(Self.commands.count == 8)
    }

    @Test("outputs byte for byte", arguments: captures)
    func sameOutputs(_ capture: String) throws {
        let dir = Self.golden.appendingPathComponent(capture.replacingOccurrences(of: "/", with: "__"))
        for command in Self.commands {
            let name = command.replacingOccurrences(of: " ", with: "_")
            let wantOut = try Data(contentsOf: dir.appendingPathComponent(name + ".out"))
            let wantErr = try Data(contentsOf: dir.appendingPathComponent(name + ".err"))
            // env -C: run from the package root, so the capture's path reads as in the golden file.
            let args = ["-C", Paths.root.path, "NO_COLOR=1", Paths.binary]
                + command.split(separator: " ").map(String.init) + [capture]
            let r = try CommandRunner.run("/usr/bin/env", args)
            let gotErr = r.stderr + "exit \(r.status)\n"
            // Compared as bytes: String's == would take canonically equal text as the same.
            #expect(Array(r.stdout.utf8) == Array(wantOut), "\(command) \(capture): stdout differs\n\(Self.firstDifference(r.stdout, wantOut))")
            #expect(Array(gotErr.utf8) == Array(wantErr), "\(command) \(capture): stderr or exit differs\n\(Self.firstDifference(gotErr, wantErr))")
        }
    }

    /// The first differing line, so a failure says where without printing the whole output.
    static func firstDifference(_ got: String, _ want: Data) -> String {
        let g = got.split(separator: "\n", omittingEmptySubsequences: false)
        let w = String(decoding: want, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(g.count, w.count) where i >= g.count || i >= w.count || g[i] != w[i] {
            return "line \(i + 1):\n  got:  \(i < g.count ? String(g[i]) : "(end)")\n  want: \(i < w.count ? String(w[i]) : "(end)")"
        }
        return "(same lines, different bytes)"
    }
}
