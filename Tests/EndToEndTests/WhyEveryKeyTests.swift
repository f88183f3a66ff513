import Foundation
import Testing
import TestSupport

/// Issue 4's "done when": on every real capture, `why` names the manifest's link for the keys
/// that are broken and says `accepted` for every other key of every phone — the spec's
/// walk-throughs included, which must come out "all links hold".
@Suite struct WhyEveryKeyTests {
    static var realCaptures: [String] {
        let manifest = (try? Manifest.entries()) ?? [:]
        return manifest.keys.filter { name in
            FileManager.default.fileExists(atPath: Paths.capture(name)) && name.hasPrefix("spec-") || name.hasPrefix("why-")
                || name.hasPrefix("modsnom-") || name.hasPrefix("sipsak-") || name.hasPrefix("sipp-")
                || (name.hasPrefix("tls") && manifest[name]?["state"] != nil) // the TLS captures, read with their keys
        }.sorted()
    }

    @Test("every key of every phone gets the expected verdict", arguments: realCaptures)
    func everyKey(_ name: String) throws {
        let file = Paths.capture(name)
        let facts = try Manifest.entries()[name] ?? [:]
        // A TLS capture is read with its keys (the manifest's `buttonscope_options`).
        let options = ManifestStateTests.options(facts)
        var expected: [String: String] = [:]
        for w in facts["why"] as? [[String: Any]] ?? [] {
            if let phone = w["phone"] as? String, let key = w["key"] as? String, let verdict = w["verdict"] as? String {
                expected["\(phone)/\(key)"] = verdict
            }
        }
        let state = try CommandRunner.buttonscope(["state", "--json", file] + options)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])
        var asked: Set<String> = []
        for phone in doc["phones"] as? [[String: Any]] ?? [] {
            guard let user = phone["user"] as? String else { continue }
            for key in phone["keys"] as? [[String: Any]] ?? [] {
                // A key read as `3 c=on l=Sales` (entries on one line) is the sender's key 3.
                guard let read = key["key"] as? String else { continue }
                let k = read.split(separator: " ").first.map(String.init) ?? read
                guard asked.insert("\(user)/\(k)").inserted else { continue }
                let want = expected["\(user)/\(k)"] ?? "accepted"
                let why = try CommandRunner.buttonscope(["why", file, "--phone", user, "--key", k, "--json"] + options)
                let verdict = (try? JSONSerialization.jsonObject(with: Data(why.stdout.utf8)) as? [String: Any])?["verdict"] as? String
                #expect(verdict == want, "\(name): phone \(user) key \(k): why says \(verdict ?? "nothing") (exit \(why.status)), expected \(want)")
                #expect(why.status == (want == "accepted" ? 0 : 1), "\(name): phone \(user) key \(k): exit \(why.status)")
            }
        }
        // Keys the manifest names must be among those asked (no-document keys have no state: ask them too).
        for (pk, want) in expected where !asked.contains(pk) {
            let parts = pk.split(separator: "/").map(String.init)
            let why = try CommandRunner.buttonscope(["why", file, "--phone", parts[0], "--key", parts[1], "--json"] + options)
            let verdict = (try? JSONSerialization.jsonObject(with: Data(why.stdout.utf8)) as? [String: Any])?["verdict"] as? String
            #expect(verdict == want, "\(name): phone \(parts[0]) key \(parts[1]): why says \(verdict ?? "nothing"), expected \(want)")
        }
        #expect(!asked.isEmpty || !expected.isEmpty, "\(name): no key to ask about")
    }

    @Test func coversTheRealCaptures() {
        #expect(Self.realCaptures.count >= 20, "found \(Self.realCaptures.count) real captures")
    }
}
