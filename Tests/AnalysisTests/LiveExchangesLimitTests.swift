@testable import SIPCapture
import Testing
@testable import Analysis
import Capture
import SIP

/// The live pairing table at its bound: the least recently active request leaves, found without a
/// scan of the table (a busy fleet fills it for good), and a retransmission counts as activity.
@Suite struct LiveExchangesLimitTests {
    func req(_ n: Int, at t: Double) -> CapturedMessage {
        Fix.request("MESSAGE", uri: "sip:44@pbx.example", branch: "z9hG4bK-\(n)", callID: "c\(n)", frame: n, at: t)
    }

    func isAnswer(_ e: LiveExchanges.Event) -> Bool { if case .answer = e { return true } else { return false } }

    @Test func theLeastRecentlyActiveRequestIsEvicted() {
        var live = LiveExchanges(limit: 3)
        let r1 = req(1, at: 0), r2 = req(2, at: 1), r3 = req(3, at: 2)
        _ = live.add(r1); _ = live.add(r2); _ = live.add(r3)
        // r1 retransmitted: active again, so r2 is now the oldest.
        if case .retransmission = live.add(req(1, at: 3)) {} else { Issue.record("not a retransmission") }
        _ = live.add(req(4, at: 4))
        #expect(!isAnswer(live.add(Fix.response(to: r2, 200, frame: 10, at: 5))))
        #expect(isAnswer(live.add(Fix.response(to: r1, 200, frame: 11, at: 5))))
        #expect(isAnswer(live.add(Fix.response(to: r3, 200, frame: 12, at: 5))))
    }

    @Test func aFullTableStaysFastAndBounded() {
        var live = LiveExchanges(limit: 1000)
        for n in 0..<20_000 { _ = live.add(req(n, at: Double(n) / 1000)) }
        #expect(live.waiting == 1000)
        #expect(isAnswer(live.add(Fix.response(to: req(19_999, at: 19.999), 200, frame: 30_000, at: 20))))
        #expect(!isAnswer(live.add(Fix.response(to: req(18_000, at: 18), 200, frame: 30_001, at: 20))))
    }
}
