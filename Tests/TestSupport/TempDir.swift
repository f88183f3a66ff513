import Foundation

/// A fresh temporary directory per test, removed when the value is released.
public final class TempDir {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "buttonscope-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `data` as `name` in the directory; returns its path.
    public func write(_ name: String, _ data: [UInt8]) -> String {
        let p = path + "/" + name
        FileManager.default.createFile(atPath: p, contents: Data(data))
        return p
    }
}
