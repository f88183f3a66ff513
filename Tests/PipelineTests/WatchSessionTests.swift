import Analysis
import Base
import Capture
import Foundation
@testable import Pipeline
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

    /// An answered document's request is kept slim by the pairing table: its late copies and
    /// answers are still shown, for the same phone and naming its frame and Call-ID, and those of a
    /// request that was not shown stay unshown.
    @Test func lateCopiesAndAnswersOfAnAnsweredDocumentAreStillShown() {
        let doc = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-d", callID: "d1",
                              extra: ["Content-Type: application/x-buttons"], body: "k=3\r\nc=on\r\n", frame: 1, at: 0)
        let other = Fix.request("OPTIONS", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-o", callID: "o1", frame: 2, at: 0.1)
        var lines: [String] = []
        var session = WatchSession { event in
            switch event {
            case .answer(let r, let p, let user, _):
                lines.append("answer #\(r.frame) to #\(p.request.frame) for \(user ?? "-") (\(p.request.message.callID ?? "-"))")
            case .retransmission(let copy, let p, _):
                lines.append("copy #\(copy.frame) of #\(p.request.frame)")
            default:
                break
            }
        }
        session.process(hep: doc)
        session.process(hep: other)
        session.process(hep: Fix.response(to: doc, 200, frame: 3, at: 0.2))
        session.process(hep: Fix.response(to: other, 200, frame: 4, at: 0.2))
        var again = doc
        again.frame = 5
        again.time = Fix.time(0.5)
        session.process(hep: again)
        session.process(hep: Fix.response(to: doc, 200, frame: 6, at: 0.6))
        var otherAgain = other
        otherAgain.frame = 7
        session.process(hep: otherAgain)
        session.process(hep: Fix.response(to: other, 200, frame: 8, at: 0.8))
        #expect(lines == ["answer #3 to #1 for 44 (d1)", "copy #5 of #1", "answer #6 to #1 for 44 (d1)"])
        #expect(session.awaitingAnswers == 0)
    }

    /// Documents nobody answers, faster than the pairing table holds: the table lets the oldest go,
    /// and the session forgets them too. Its record of shown documents stays within the table's
    /// bound instead of growing with every unanswered document of a long watch.
    @Test func unansweredDocumentsPastTheTableAreForgottenNotKeptForever() {
        var session = WatchSession(pairingLimit: 20) { _ in }
        for n in 1...300 {
            session.process(hep: Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-u\(n)", callID: "u\(n)",
                                             extra: ["Content-Type: application/x-buttons"], body: "k=3\r\nc=on\r\n",
                                             frame: n, at: Double(n) / 1000))
        }
        #expect(session.documents == 300)
        #expect(session.awaitingAnswers == 20, "\(session.awaitingAnswers) documents still remembered")
        // And the stop line says so.
        #expect(session.unfollowed == 280)
        #expect(session.unfollowedText == ", 280 documents no longer followed (the pairing table of 20 requests was full before an answer came)")
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
