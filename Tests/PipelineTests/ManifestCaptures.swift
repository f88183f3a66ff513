import Capture
import Foundation
import Pipeline
import TestSupport
import TLSKeys

/// The bundled captures as the pipeline's tests open them: the real files, with the keys their
/// manifest entry names.
enum ManifestCaptures {
    /// The capture as the CLI would read it with the entry's `buttonscope_options` (`--tls-keylog`,
    /// `--tls-key`); nil for an option the pipeline's tests do not give (then the test says so).
    static func source(_ name: String) throws -> CaptureSource? {
        let facts = try Manifest.entries()[name] ?? [:]
        var secrets = TLSSecrets()
        var options = (facts["buttonscope_options"] as? [String] ?? [])
            .map { $0.replacingOccurrences(of: "{captures}", with: Paths.captures.path) }
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
        return CaptureSource(path: Paths.capture(name), tlsSecrets: secrets)
    }
}
