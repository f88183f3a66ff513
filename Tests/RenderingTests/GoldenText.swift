import Foundation
import Pipeline
import TestSupport

/// The golden outputs `scripts/golden` wrote from the CLI (`Tests/EndToEndTests/Golden/`): what a
/// renderer must return, byte for byte, for the same capture. The captures are read by the path
/// the CLI was given (`captures/…`, from the package root), since outputs name the file.
enum GoldenText {
    static let root = Paths.root
    static let golden = Paths.golden

    /// Every capture the golden set covers, as `captures/…`.
    static var captures: [String] {
        let text = (try? String(contentsOf: golden.appendingPathComponent("captures.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The package root as the working directory, and no colours: as `scripts/golden` ran the CLI.
    /// The same for every test, so tests running at once agree.
    static func prepare() {
        FileManager.default.changeCurrentDirectoryPath(root.path)
        setenv("NO_COLOR", "1", 1)
    }

    /// `command` is spelt as in `scripts/same-outputs` ("summary", "messages --json", …).
    static func stdout(_ capture: String, _ command: String) throws -> [UInt8] {
        let dir = golden.appendingPathComponent(capture.replacingOccurrences(of: "/", with: "__"))
        return Array(try Data(contentsOf: dir.appendingPathComponent(command.replacingOccurrences(of: " ", with: "_") + ".out")))
    }

    static func stderr(_ capture: String, _ command: String) throws -> String {
        let dir = golden.appendingPathComponent(capture.replacingOccurrences(of: "/", with: "__"))
        return try String(contentsOf: dir.appendingPathComponent(command.replacingOccurrences(of: " ", with: "_") + ".err"), encoding: .utf8)
    }

    /// Lines as the CLI prints them: each ended by a newline.
    static func printed(_ lines: [String]) -> [UInt8] {
        Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// A capture the CLI found unusable: the golden stderr is that one line and exit 2.
    static func unusable(_ capture: String, _ command: String, _ e: UnusableInput) throws -> Bool {
        try stderr(capture, command).hasSuffix("buttonscope: \(e.description)\nexit 2\n")
    }
}
