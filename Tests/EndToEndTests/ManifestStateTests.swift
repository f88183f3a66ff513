import Foundation
import Testing
import TestSupport

/// `state` held to the manifests' `state` entries (issue 11: "`why` and `state` give the
/// manifest's answers" on the TLS captures, as on plain ones): the key panel the capture's
/// script left on a phone — how many keys, each key's light (sent and shown: every document was
/// answered 200), some labels — read with the entry's `buttonscope_options` (its keys).
@Suite struct ManifestStateTests {
    static var names: [String] {
        ((try? Manifest.entries()) ?? [:]).filter { $0.value["state"] != nil }.keys.sorted()
    }

    /// The manifest's `buttonscope_options`, `{captures}` expanded.
    static func options(_ facts: [String: Any]) -> [String] {
        (facts["buttonscope_options"] as? [String] ?? []).map { $0.replacingOccurrences(of: "{captures}", with: Paths.captures.path) }
    }

    @Test("state gives the manifest's key panel", arguments: names)
    func statePanel(_ name: String) throws {
        let facts = try #require(try Manifest.entries()[name])
        let expected = try #require(facts["state"] as? [String: Any])
        let phone = try #require(expected["phone"] as? String)
        let r = try CommandRunner.buttonscope(["state", "--json", Paths.capture(name), "--phone", phone] + Self.options(facts))
        #expect(r.status == 0, "\(name): exit \(r.status) \(r.stderr)")
        #expect(!r.stderr.contains("tls-"), "\(name): \(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(name): \(r.stdout)")
        let phones = doc["phones"] as? [[String: Any]] ?? []
        #expect(phones.count == 1 && phones.first?["user"] as? String == phone, "\(name): phones \(phones.map { $0["user"] ?? "?" })")
        var keys: [String: [String: Any]] = [:]
        for k in phones.first?["keys"] as? [[String: Any]] ?? [] { if let key = k["key"] as? String { keys[key] = k } }
        #expect(keys.count == expected["keys"] as? Int, "\(name): \(keys.count) keys, \(keys.keys.sorted())")
        for (key, light) in expected["lights"] as? [String: String] ?? [:] {
            let sent = keys[key]?["sent"] as? [String: Any], shown = keys[key]?["shown"] as? [String: Any]
            #expect(sent?["light"] as? String == light, "\(name): key \(key) sent \(sent ?? [:]), expected \(light)")
            #expect(shown?["light"] as? String == light, "\(name): key \(key) shown \(shown ?? [:]), expected \(light)")
        }
        for (key, label) in expected["labels"] as? [String: Any] ?? [:] {
            let shown = keys[key]?["shown"] as? [String: Any]
            // null: the last description had no label (it replaced the key's whole state).
            let want = label as? String
            #expect(shown?["label"] as? String == want, "\(name): key \(key) label \(String(describing: shown?["label"])), expected \(want ?? "none")")
        }
    }

    @Test func theTLSCapturesHaveStateEntries() {
        let tls = Self.names.filter { $0.hasPrefix("tls") }
        #expect(tls.count >= 9, "TLS captures with a `state` entry: \(tls)")
    }
}
