import Foundation
import TestSupport

/// The Python fixture server, started in its own temp directory.
struct PressFixtureServer {
    struct Seen: Decodable { var path: String; var valid: Bool; var why: String }

    let process: Process
    let directory: URL
    let port: Int

    init(scheme: String, user: String, password: String, host: String = "127.0.0.1") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bs-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Paths.senderFixture("http_auth_server.py"), "--scheme", scheme, "--user", user,
                             "--password", password, "--dir", directory.path, "--host", host]
        try process.run()
        let portFile = directory.appendingPathComponent("port")
        var port: Int?
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) { port = p; break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure("the fixture HTTP server did not start")
        }
        self.port = port
    }

    func requests() throws -> [Seen] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("requests.jsonl"), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Seen.self, from: Data($0.utf8)) }
    }

    func stop() {
        // SIGKILL: a runner may have left SIGTERM ignored in its children.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
