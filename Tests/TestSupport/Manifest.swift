import Foundation

/// What the bundled captures hold, as their manifests (`captures/expected-*.json`, one per family
/// of captures) say: capture name (relative to `captures/`) → facts.
public enum Manifest {
    /// The manifest files, in name order.
    public static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? [])
            .filter { $0.hasPrefix("expected-") && $0.hasSuffix(".json") }.sorted()
    }

    /// Every entry of every manifest; a name in two files keeps the first. A manifest that is not
    /// JSON throws.
    public static func entries() throws -> [String: [String: Any]] {
        var all: [String: [String: Any]] = [:]
        for name in files {
            guard let data = try? Data(contentsOf: Paths.captures.appendingPathComponent(name)) else { continue }
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
            all.merge(obj) { a, _ in a }
        }
        return all
    }

    /// The manifest file an entry comes from (`expected-tunnels.json`, …).
    public static func file(of name: String) -> String? {
        files.first { file in
            guard let data = try? Data(contentsOf: Paths.captures.appendingPathComponent(file)),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
            return obj[name] != nil
        }
    }

    /// Names of the entries that have `field`, sorted (for test arguments, which cannot throw:
    /// a manifest that is not JSON fails every test that calls `entries()` instead).
    public static func names(with field: String) -> [String] {
        ((try? entries()) ?? [:]).filter { $0.value[field] != nil }.keys.sorted()
    }
}
