import Analysis
import Base
import Capture
import Foundation
import Pipeline
import Testing
import TestSupport

/// `WatchSession`, the live pipeline of `watch`, fed a real capture's frames one by one as an
/// interface would give them: the lamps it reports for a key are the manifest's, the same as the
/// file pipeline's (`PipelineManifestTests.timeline`), and every document is answered or said so.
@Suite struct WatchSessionTests {
    /// Captures whose lamps need nothing the live pipeline does not have (no TLS keys).
    static var plainTimelines: [String] {
        Manifest.names(with: "timeline").filter { (((try? Manifest.entries()) ?? [:])[$0]?["buttonscope_options"] as? [String] ?? []).isEmpty }
    }

    @Test("watch reports the manifest's lamps of a key, frame by frame", arguments: plainTimelines)
    func lamps(_ name: String) throws {
        let t = try #require(try Manifest.entries()[name]?["timeline"] as? [String: Any])
        let phone = try #require(t["phone"] as? String), key = try #require(t["key"] as? String)
        let lights = try #require(t["lights"] as? [String])
        let toPhoneOnly = ["expected-real.json", "expected-tunnels.json"].contains(Manifest.file(of: name))
        var seen: [String] = []
        var documents = 0
        var session = WatchSession { event in
            switch event {
            case .key(let e, _, _) where e.phone.user == phone && e.key == key && (!toPhoneOnly || e.direction.rawValue == "to-phone"):
                seen.append(e.state.light)
            case .document:
                documents += 1
            default:
                break
            }
        }
        let reader = try CaptureReader(path: Paths.captures.appendingPathComponent(name).path)
        var last: Timestamp?
        while let frame = reader.next() {
            session.process(frame)
            last = frame.timestamp
        }
        session.finish()
        if let last { session.tick(now: last.adding(seconds: 3600)) }
        #expect(seen == lights, "\(name): lights \(seen), manifest \(lights)")
        #expect(documents == session.documents && documents >= lights.count, "\(name): \(documents) documents")
        #expect(session.awaitingAnswers == 0, "\(name): \(session.awaitingAnswers) documents neither answered nor given up")
    }

    @Test func aSelectionByKeyReportsOnlyThatKey() throws {
        let name = try #require(Self.plainTimelines.first)
        let t = try #require(try Manifest.entries()[name]?["timeline"] as? [String: Any])
        let key = try #require(t["key"] as? String)
        var keys: Set<String> = []
        var session = WatchSession(selection: MessageSelection(key: key)) { event in
            if case .key(let e, _, _) = event { keys.insert(e.key) }
        }
        let reader = try CaptureReader(path: Paths.captures.appendingPathComponent(name).path)
        while let frame = reader.next() { session.process(frame) }
        session.finish()
        #expect(keys == [key], "\(name): keys \(keys)")
    }
}
