import Foundation
import Testing

/// Runs the built `buttonscope` and external tools (tshark, sipp) as a user would.
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var captures: URL { packageRoot.appendingPathComponent("captures") }

    static func capture(_ name: String) -> String { captures.appendingPathComponent(name).path }

    /// `BUTTONSCOPE_BIN` overrides, else the debug build `swift test` just made.
    static var binary: String {
        if let b = ProcessInfo.processInfo.environment["BUTTONSCOPE_BIN"] { return b }
        return packageRoot.appendingPathComponent(".build/debug/buttonscope").path
    }

    static func buttonscope(_ args: [String], stdin: Data? = nil) throws -> Result {
        try run(binary, args, stdin: stdin)
    }

    static func run(_ executable: String, _ args: [String], stdin: Data? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        // Read both pipes while the process runs, so a large output on either cannot block it:
        // stderr on a thread of its own, stdout here.
        let errors = PipeContents()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let errData = errors.data
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The path of an external tool, or nil. In CI (`CI=true`) a missing tool is a failure,
    /// never a silent skip.
    static func tool(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"] {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(name) is required in CI (CI=true) but is not installed; .ci/run installs it")
        }
        return nil
    }

    /// Parses NDJSON output into dictionaries.
    static func ndjson(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            guard let obj = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw RunnerError.notAnObject(String($0))
            }
            return obj
        }
    }

    /// `captures/expected-*.json` merged: file name → facts.
    static func manifest() throws -> [String: [String: Any]] {
        var all: [String: [String: Any]] = [:]
        // Every `captures/expected-*.json` (one per family of captures), in name order.
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: captures.path)) ?? [])
            .filter { $0.hasPrefix("expected-") && $0.hasSuffix(".json") }.sorted()
        for name in names {
            let url = captures.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else { continue }
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
            all.merge(obj) { a, _ in a }
        }
        return all
    }

    enum RunnerError: Error { case notAnObject(String) }
}

/// What a reader thread read from a pipe. `@unchecked Sendable`: written once by that thread
/// before it signals, read only after the wait.
private final class PipeContents: @unchecked Sendable {
    var data = Data()
}
