import Foundation

/// Where things are in the package, found from this file's path (so tests run from any directory).
public enum Paths {
    /// The package root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The bundled captures and their manifests.
    public static var captures: URL { root.appendingPathComponent("captures") }

    /// A bundled capture's path, `name` relative to `captures/`.
    public static func capture(_ name: String) -> String { captures.appendingPathComponent(name).path }

    /// The golden outputs `scripts/golden` writes (`Tests/EndToEndTests/Golden/`).
    public static var golden: URL { root.appendingPathComponent("Tests/EndToEndTests/Golden") }

    /// A file the sender and phone tests share (`Tests/SenderTests/Fixtures/`: an HTTP server, keys, scenarios).
    public static func senderFixture(_ name: String) -> String {
        root.appendingPathComponent("Tests/SenderTests/Fixtures/\(name)").path
    }

    /// The built CLI: `BUTTONSCOPE_BIN` overrides, else the debug build `swift test` just made.
    public static var binary: String {
        if let b = ProcessInfo.processInfo.environment["BUTTONSCOPE_BIN"] { return b }
        return root.appendingPathComponent(".build/debug/buttonscope").path
    }

    /// A path for a temporary file or directory nobody else uses (not created).
    public static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "buttonscope-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-" + name
    }
}
