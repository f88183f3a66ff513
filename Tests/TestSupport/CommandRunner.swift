import Foundation
import Testing

/// Runs the built `buttonscope` and external tools (tshark, sipp, openssl…) to completion, as a
/// user would, reading stdout and stderr at the same time.
public enum CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        /// stdout decoded as UTF-8 (invalid bytes replaced); `stdoutBytes` has it exactly.
        public var stdout: String
        public var stdoutBytes: Data
        public var stderr: String
        /// Wall time from start to exit.
        public var seconds: Double
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }

        public init(status: Int32, stdout: String, stderr: String, seconds: Double, stdoutBytes: Data? = nil) {
            self.status = status
            self.stdout = stdout
            self.stdoutBytes = stdoutBytes ?? Data(stdout.utf8)
            self.stderr = stderr
            self.seconds = seconds
        }
    }

    /// Runs the built CLI (`Paths.binary`); a missing binary throws, naming what to do.
    public static func buttonscope(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: Paths.binary) else {
            throw TestFailure("\(Paths.binary) is missing: run `swift build` before the tests")
        }
        return try run(Paths.binary, args, stdin: stdin, environment: environment)
    }

    /// Runs `executable` with `args` (stdin empty unless given; `environment` added to this
    /// process's) and waits for it to exit.
    public static func run(_ executable: String, _ args: [String], stdin: Data? = nil,
                           environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let start = Date()
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
                      stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start),
                      stdoutBytes: outData)
    }

    /// Whether this is a CI run (`CI=true`), where a missing tool fails instead of skipping.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The path of an external tool, or nil. In CI (`CI=true`) a missing tool is a failure,
    /// never a silent skip.
    public static func tool(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"] {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if isCI {
            Issue.record("\(name) is required in CI (CI=true) but is not installed; .ci/run installs it")
        }
        return nil
    }

    /// Parses NDJSON output into dictionaries; a line that is not a JSON object throws.
    public static func ndjson(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            guard let obj = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                throw TestFailure("not a JSON object: \($0)")
            }
            return obj
        }
    }
}

/// What a reader thread read from a pipe. `@unchecked Sendable`: written once by that thread
/// before it signals, read only after the wait.
private final class PipeContents: @unchecked Sendable {
    var data = Data()
}
