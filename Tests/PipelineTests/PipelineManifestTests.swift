import Analysis
import Capture
import Foundation
import Pipeline
import SIP
import Testing
import TestSupport

/// Issue 14: "The new targets' tests cover the pipeline and the renderers without running the
/// binary". The pipeline run on the real captures, held to their manifests: the messages read,
/// the lamps a key showed, the key panel left, the keys `why` finds broken.
@Suite struct PipelineManifestTests {
    @Test("LoadedCapture hands out the manifest's SIP messages, in frame order", arguments: Manifest.names(with: "sip_messages"))
    func messages(_ name: String) throws {
        let expected = try #require(Manifest.entries()[name]?["sip_messages"] as? Int)
        let source = try #require(try ManifestCaptures.source(name), "\(name): options the test cannot give")
        var frames: [Int] = []
        do {
            _ = try LoadedCapture.stream(source) { frames.append($0.frame) }
        } catch let e as UnusableInput {
            // A file that is no capture: unusable, and the manifest expects nothing from it.
            #expect(expected == 0, "\(name): \(e.description)")
            return
        }
        #expect(frames.count == expected, "\(name): \(frames.count) messages, manifest \(expected)")
        #expect(frames == frames.sorted(), "\(name): messages out of frame order")
    }

    @Test("StreamedKeyRun and KeyTimeline give the manifest's lamps of a key", arguments: Manifest.names(with: "timeline"))
    func timeline(_ name: String) throws {
        let t = try #require(Manifest.entries()[name]?["timeline"] as? [String: Any])
        let phone = try #require(t["phone"] as? String), key = try #require(t["key"] as? String)
        let lights = try #require(t["lights"] as? [String])
        let source = try #require(try ManifestCaptures.source(name), "\(name): options the test cannot give")
        // The real and tunnel families list what the PBX sent the phone (the phone's own reports
        // left out), the others every event of the key: as their end-to-end tests read them.
        let toPhoneOnly = ["expected-real.json", "expected-tunnels.json"].contains(Manifest.file(of: name))
        var timeline = KeyTimeline()
        var seen: [String] = []
        _ = try StreamedKeyRun().run(source) { m, exchange in
            for e in timeline.add(m, exchange: exchange) where e.phone.user == phone && e.key == key
                && (!toPhoneOnly || e.direction.rawValue == "to-phone") {
                seen.append(e.state.light)
            }
        }
        #expect(seen == lights, "\(name): lights \(seen), manifest \(lights)")
    }

    @Test("the key panel left on a phone is the manifest's", arguments: Manifest.names(with: "state"))
    func panel(_ name: String) throws {
        let expected = try #require(Manifest.entries()[name]?["state"] as? [String: Any])
        let phone = try #require(expected["phone"] as? String)
        let source = try #require(try ManifestCaptures.source(name), "\(name): options the test cannot give")
        var timeline = KeyTimeline()
        _ = try StreamedKeyRun().run(source) { m, exchange in timeline.update(m, exchange: exchange) }
        let panels = timeline.phones.filter { $0.phone.user == phone }
        #expect(panels.count == 1, "\(name): \(panels.count) panels of \(phone)")
        let keys = panels.first?.keys ?? []
        #expect(keys.count == expected["keys"] as? Int, "\(name): \(keys.count) keys")
        for (key, light) in expected["lights"] as? [String: String] ?? [:] {
            let slot = keys.first { $0.key == key }
            #expect(slot?.shown?.state.light == light, "\(name): key \(key) shows \(slot?.shown?.state.light ?? "nothing"), manifest \(light)")
        }
    }

    /// Issue 13, memory: an exchange whose request was handed on early (the queue past its cap)
    /// used to stay held to the end of the run, a store that grew with the capture. With a queue of
    /// one, most requests go early; nothing may be held once the run is over.
    @Test("a run whose queue overflowed holds no exchange at its end")
    func noExchangeHeldAfterEarlyRequests() throws {
        var forced = 0
        for name in Manifest.names(with: "timeline") {
            guard let source = try ManifestCaptures.source(name) else { continue }
            let run = StreamedKeyRun(maxPending: 1)
            var requests = 0
            _ = try run.run(source) { _, _ in requests += 1 }
            forced += run.forcedEarly
            #expect(run.heldExchanges == 0, "\(name): \(run.heldExchanges) exchanges held after the run, \(run.forcedEarly) of \(requests) requests early")
        }
        #expect(forced > 0, "no capture sent a request early: the test proves nothing")
    }

    @Test("`why` over TrackedCapture gives the manifest's verdicts", arguments: Manifest.names(with: "why"))
    func verdicts(_ name: String) throws {
        let expected = try #require(Manifest.entries()[name]?["why"] as? [[String: Any]])
        let source = try #require(try ManifestCaptures.source(name), "\(name): options the test cannot give")
        for entry in expected {
            let phone = try #require(entry["phone"] as? String), key = try #require(entry["key"] as? String)
            var facts = WhyFacts(user: phone, key: key, until: nil, keptRegistrations: SummaryTally.keptRegistrations)
            let tracked = try TrackedCapture.stream(source) { facts.add($0) }
            facts.captureStart = tracked.start
            facts.captureEnd = tracked.end
            let verdict = facts.why(user: phone, key: key).verdict.rawValue
            #expect(verdict == entry["verdict"] as? String, "\(name): key \(key) of \(phone): \(verdict)")
        }
    }

    @Test("the summary tally counts what the capture holds", arguments: Manifest.names(with: "sip_messages"))
    func summary(_ name: String) throws {
        let expected = try #require(Manifest.entries()[name]?["sip_messages"] as? Int)
        let source = try #require(try ManifestCaptures.source(name), "\(name): options the test cannot give")
        var tally = SummaryTally()
        guard let tracked = try? TrackedCapture.stream(source, onMessage: { tally.add(message: $0) }, onExchange: { tally.add(exchange: $0) }) else {
            #expect(expected == 0, "\(name): unusable")
            return
        }
        let summary = tally.summary(tracked, path: name)
        #expect(tracked.messageCount == expected, "\(name): \(tracked.messageCount) messages")
        // Every transaction has one outcome, and the phones are in the summary's order.
        #expect(summary.outcomes.reduce(0) { $0 + $1.1 } == tracked.exchangeCount, "\(name): outcomes \(summary.outcomes)")
        #expect(summary.phones.map(\.user) == summary.phones.map(\.user).sorted(by: CaptureSummary.userOrder))
    }
}
