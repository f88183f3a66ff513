import Capture
import Foundation
import Pipeline
import TLSKeys

/// The captures in `captures/` and what their manifests (`captures/expected-*.json`) say they hold:
/// the pipeline's tests read the real files, with the keys the manifest names.
enum ManifestCaptures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var captures: URL { root.appendingPathComponent("captures") }

    /// Every manifest entry, by capture name (relative to `captures/`).
    static func manifest() -> [String: [String: Any]] {
        var all: [String: [String: Any]] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: captures.path)) ?? [])
            .filter { $0.hasPrefix("expected-") && $0.hasSuffix(".json") }.sorted()
        for name in names {
            guard let data = try? Data(contentsOf: captures.appendingPathComponent(name)),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { continue }
            all.merge(obj) { a, _ in a }
        }
        return all
    }

    /// The manifest file an entry comes from (`expected-tunnels.json`, …).
    static func file(of name: String) -> String? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: captures.path)) ?? [])
            .filter { $0.hasPrefix("expected-") && $0.hasSuffix(".json") }.sorted()
        return names.first { file in
            guard let data = try? Data(contentsOf: captures.appendingPathComponent(file)),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
            return obj[name] != nil
        }
    }

    /// Names of the entries that have `field`.
    static func names(with field: String) -> [String] {
        manifest().filter { $0.value[field] != nil }.keys.sorted()
    }

    /// The capture as the CLI would read it with the entry's `buttonscope_options` (`--tls-keylog`,
    /// `--tls-key`); nil for an option the pipeline's tests do not give (then the test says so).
    static func source(_ name: String) throws -> CaptureSource? {
        let facts = manifest()[name] ?? [:]
        var secrets = TLSSecrets()
        var options = (facts["buttonscope_options"] as? [String] ?? [])
            .map { $0.replacingOccurrences(of: "{captures}", with: captures.path) }
        while options.count >= 2 {
            let file = try String(contentsOfFile: options[1], encoding: .utf8)
            switch options[0] {
            case "--tls-keylog": _ = secrets.addKeyLog(file)
            case "--tls-key": secrets.rsaPrivateKeysPEM.append(file)
            default: return nil
            }
            options.removeFirst(2)
        }
        guard options.isEmpty else { return nil }
        return CaptureSource(path: captures.appendingPathComponent(name).path, tlsSecrets: secrets)
    }
}
