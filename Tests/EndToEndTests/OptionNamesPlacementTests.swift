import Foundation
import Testing

/// Issue 14: "flag hints only in the CLI". The libraries say what is wrong and, typed, what would
/// help (`SenderError.Remedy`, `TLSKeyRemedy`…); `buttonscope` (and `Rendering`, which writes the
/// CLI's text) spell it as an option. This scan keeps option names out of every other target's
/// string literals, so a library reads the same from a future server as from the command line.
@Suite struct OptionNamesPlacementTests {
    /// Targets that may spell options: the command line, its renderers, and the tools beside it.
    static let presentation: Set<String> = ["buttonscope", "Rendering", "HEPLoad", "FuzzCapture", "FuzzSIP", "FuzzButtons"]
    /// Literals that name an option for another reason than a hint, each with that reason.
    static let allowed: [String: String] = [
        "buttonscope watch --hep": "the pcapng section header's writing application (shb_userappl), not a hint",
    ]

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
    }

    /// The string literals on one line of Swift that name an option (`--word`), comments left out.
    static func optionLiterals(in line: String) -> [String] {
        let code = line.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("//") { return [] }
        var found: [String] = []
        let parts = code.components(separatedBy: "\"")
        // Odd-numbered parts lie between quotes (escaped quotes are rare in these literals).
        for (i, part) in parts.enumerated() where i % 2 == 1 {
            if part.range(of: #"(^|[ (])--[a-z]"#, options: .regularExpression) != nil { found.append(part) }
        }
        return found
    }

    @Test func theScannerFindsAnOptionInALiteralAndNotInCode() {
        #expect(Self.optionLiterals(in: #"return "give a password with --password-env""#) == ["give a password with --password-env"])
        #expect(Self.optionLiterals(in: #"let x = "(--tls-keylog FILE)""#).count == 1)
        #expect(Self.optionLiterals(in: "count -= 1; i--").isEmpty)
        #expect(Self.optionLiterals(in: #"// use "--ca-file" here"#).isEmpty)
    }

    @Test func noLibraryTargetNamesACommandLineOption() throws {
        let targets = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
        let libraries = targets.filter { !Self.presentation.contains($0) && !["CPcap", "CZlib"].contains($0) }
        #expect(libraries.contains("Sender") && libraries.contains("TLSDecryption") && libraries.contains("Phone") && libraries.contains("Capture"), "\(libraries)")
        var offenders: [String] = []
        for target in libraries.sorted() {
            let dir = Self.sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                for (n, line) in text.components(separatedBy: "\n").enumerated() {
                    for literal in Self.optionLiterals(in: line) where !Self.allowed.keys.contains(where: { literal.contains($0) }) {
                        offenders.append("Sources/\(target)/\(file):\(n + 1): \"\(literal)\"")
                    }
                }
            }
        }
        #expect(offenders.isEmpty, "option names belong in the CLI (OptionHint):\n\(offenders.joined(separator: "\n"))")
    }
}
