@testable import SIPCapture
import Testing
@testable import Analysis
import Capture
import Base
import SIP
import TestSupport

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

    /// A collector frees what the table lets go on its intake thread: kept aside when asked, each
    /// request once, and nothing kept when not asked (the table's bound is the memory's bound).
    @Test func requestsLetGoAreKeptAsideOnlyWhenAsked() {
        var kept = LiveExchanges(limit: 2)
        kept.keepsRetired = true
        for n in 1...5 { _ = kept.add(req(n, at: Double(n))) }
        #expect(kept.takeRetired().map(\.request.frame) == [1, 2, 3])
        #expect(kept.takeRetired().isEmpty)
        _ = kept.expire(now: Timestamp(seconds: 1_700_000_100, nanoseconds: 0))
        #expect(kept.takeRetired().map(\.request.frame).sorted() == [4, 5])

        var plain = LiveExchanges(limit: 2)
        for n in 1...5 { _ = plain.add(req(n, at: Double(n))) }
        #expect(plain.retired.isEmpty)
    }

    /// A busy fleet fills the table with answered requests: once answered, a request is kept slim
    /// (frame, time, endpoints, agent, Call-ID; no other headers, no body), and the whole one is
    /// handed out to be freed where it was made.
    @Test func anAnsweredRequestIsKeptSlim() throws {
        var live = LiveExchanges(limit: 1)
        live.keepsRetired = true
        let doc = Fix.request("MESSAGE", uri: "sip:44@pbx.example", branch: "z9hG4bK-s", callID: "slim-1",
                              extra: ["Content-Type: application/x-buttons"], body: "k=3\r\nc=on\r\n", frame: 1, at: 0)
        _ = live.add(doc) { _ in .some("44") }
        guard case .answer(_, let pending, true) = live.add(Fix.response(to: doc, 200, frame: 2, at: 0.1)) else {
            Issue.record("not a first final answer"); return
        }
        #expect(pending.request.effectiveBody == doc.effectiveBody, "the answer's event still has the whole request")
        let whole = try #require(live.takeRetired().first)
        #expect(whole.request.frame == 1 && whole.request.message.headers.count == doc.message.headers.count)
        // A late copy of the 200 still pairs, and names the request by frame and Call-ID.
        guard case .answer(_, let late, false) = live.add(Fix.response(to: doc, 200, frame: 3, at: 0.2)) else {
            Issue.record("a late answer did not pair"); return
        }
        #expect(late.shown == .some("44") && late.request.frame == 1 && late.request.time == doc.time)
        #expect(late.request.message.callID == "slim-1" && late.request.source == doc.source && late.request.destination == doc.destination)
        #expect(late.request.message.body.isEmpty && late.request.effectiveBody.isEmpty && late.request.diagnostics.isEmpty)
    }

    @Test func aFullTableStaysFastAndBounded() {
        var live = LiveExchanges(limit: 1000)
        for n in 0..<20_000 { _ = live.add(req(n, at: Double(n) / 1000)) }
        #expect(live.waiting == 1000)
        #expect(isAnswer(live.add(Fix.response(to: req(19_999, at: 19.999), 200, frame: 30_000, at: 20))))
        #expect(!isAnswer(live.add(Fix.response(to: req(18_000, at: 18), 200, frame: 30_001, at: 20))))
    }

    /// RFC 3261 17.1.2.2: "If Timer F fires while the client transaction is still in the 'Trying'
    /// state, the client transaction SHOULD inform the TU about the timeout" — once, counted from
    /// the first copy, and a tick looks only at what is due (no walk over the table).
    @Test func timerFReportsEachUnansweredRequestOnceFromItsFirstCopy() {
        var live = LiveExchanges(timerF: 32, limit: 100)
        let r1 = req(1, at: 0), r2 = req(2, at: 1), r3 = req(3, at: 2)
        _ = live.add(r1); _ = live.add(r2); _ = live.add(r3)
        _ = live.add(Fix.response(to: r2, 200, frame: 4, at: 1.1))
        _ = live.add(req(1, at: 20))  // a retransmission does not restart Timer F
        #expect(live.expire(now: Fix.time(31)).isEmpty)
        #expect(live.expire(now: Fix.time(32.5)).map(\.request.frame) == [1])
        #expect(live.expire(now: Fix.time(40)).map(\.request.frame) == [3], "r2 was answered, r1 reported already")
        #expect(live.expire(now: Fix.time(100)).isEmpty)
        // Quiet past Timer F and a margin: forgotten, so a late answer matches nothing.
        #expect(!isAnswer(live.add(Fix.response(to: r1, 200, frame: 9, at: 100))))
    }

    @Test func anEvictedRequestIsNotReportedAndTheNextKeepsItsOwnTimer() {
        var live = LiveExchanges(timerF: 32, limit: 1)
        _ = live.add(req(1, at: 0))
        _ = live.add(req(2, at: 10))  // evicts 1
        #expect(live.expire(now: Fix.time(33)).isEmpty, "request 1 left the table: nothing to report for it")
        #expect(live.expire(now: Fix.time(43)).map(\.request.frame) == [2])
    }

    /// Requests faster than the table holds: what waits for Timer F stays within a few times the
    /// table, not 32 s of requests.
    @Test func theTimerQueueStaysBoundedByTheTable() {
        var live = LiveExchanges(timerF: 32, limit: 1000)
        for n in 0..<50_000 { _ = live.add(req(n, at: Double(n) / 10_000)) }
        #expect(live.timerQueueLength <= 4 * 1024 + 1)
        #expect(live.expire(now: Fix.time(40)).count == 1000, "only the requests still in the table are reported")
    }
}
