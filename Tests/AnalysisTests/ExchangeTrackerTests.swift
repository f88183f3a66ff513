@testable import SIPCapture
import Base
@testable import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

@Suite struct ExchangeTrackerTests {
    func track(_ messages: [CapturedMessage], icmp: [(ICMPUnreachable, Double)] = [], end: Double) -> [Exchange] {
        var t = ExchangeTracker()
        var events: [(Double, Int, Any)] = messages.map { ($0.time.seconds(since: Fix.time(0)), $0.frame, $0) }
        events += icmp.map { ($0.1, $0.0.frame, $0.0) }
        for e in events.sorted(by: { $0.1 < $1.1 }) {
            if let m = e.2 as? CapturedMessage { t.add(m) }
            if let i = e.2 as? ICMPUnreachable { t.add(i, time: Fix.time(e.0)) }
        }
        return t.finish(captureEnd: Fix.time(end))
    }

    @Test func pairsByBranchAndMethod() {
        let a = Fix.buttons("k=1\r\nc=on\r\n", branch: "z9hG4bK-a", cseq: 1, frame: 1, at: 0)
        let b = Fix.buttons("k=2\r\nc=on\r\n", branch: "z9hG4bK-b", cseq: 2, frame: 2, at: 0.01)
        // b is answered first, with 404; a with 200.
        let rb = Fix.response(to: b, 404, frame: 3, at: 0.02)
        let ra = Fix.response(to: a, 200, frame: 4, at: 0.05)
        let ex = track([a, b, rb, ra], end: 1)
        #expect(ex.count == 2)
        #expect(ex.map(\.request.frame) == [1, 2])
        #expect(ex[0].finalStatus == 200 && ex[0].outcome == .accepted)
        #expect(ex[1].finalStatus == 404 && ex[1].outcome == .rejected)
        #expect(ex[1].responses.map(\.frame) == [3])
        #expect(abs((ex[0].latencyMs ?? 0) - 50) < 0.5)
    }

    @Test func sameBranchDifferentMethodIsAnotherTransaction() {
        // A CANCEL shares the INVITE's branch; an answer to CANCEL must not close the INVITE.
        let inv = Fix.request("INVITE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-x", frame: 1, at: 0)
        let cancel = Fix.request("CANCEL", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-x", frame: 2, at: 1)
        let ok = Fix.response(to: cancel, 200, frame: 3, at: 1.01)
        let ex = track([inv, cancel, ok], end: 2)
        #expect(ex.count == 2)
        #expect(ex[0].method == "INVITE" && ex[0].responses.isEmpty && ex[0].outcome == .unknown)
        #expect(ex[1].method == "CANCEL" && ex[1].outcome == .accepted)
    }

    @Test func rfc2543FallbackUsesCallIDAndCSeq() {
        // No magic cookie: branches are not unique, so Call-ID + CSeq decide.
        let a = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "0", callID: "one", cseq: 5, frame: 1, at: 0)
        let b = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "0", callID: "two", cseq: 5, frame: 2, at: 0.1)
        let rb = Fix.response(to: b, 200, frame: 3, at: 0.2)
        let ex = track([a, b, rb], end: 1)
        #expect(ex.count == 2)
        #expect(ex[0].responses.isEmpty)
        #expect(ex[1].finalStatus == 200)
        // Without a Via at all, Call-ID + CSeq still pair them.
        let bare = Fix.message(["MESSAGE sip:44@10.0.0.44 SIP/2.0", "Call-ID: z", "CSeq: 9 MESSAGE"], frame: 1, at: 0, from: Fix.pbx, to: Fix.phone44)
        let bareOK = Fix.message(["SIP/2.0 200 OK", "Call-ID: z", "CSeq: 9 MESSAGE"], frame: 2, at: 0.1, from: Fix.phone44, to: Fix.pbx)
        #expect(track([bare, bareOK], end: 1).first?.outcome == .accepted)
    }

    @Test func retransmissionsAreCountedAndTimedAgainstTimerE() {
        let r = Fix.buttons("k=1\r\nc=on\r\n", branch: "z9hG4bK-r", cseq: 1, frame: 1, at: 0)
        var copies = [r]
        // Timer E: 0.5, 1, 2, 4, 4 s apart.
        var t = 0.0
        for (i, gap) in [0.5, 1, 2, 4, 4].enumerated() {
            t += gap
            var c = r
            c.frame = 2 + i
            c.frames = [c.frame]
            c.time = Fix.time(t)
            copies.append(c)
        }
        let ex = track(copies, end: t + 0.1)
        #expect(ex.count == 1)
        #expect(ex[0].retransmissions.map(\.frame) == [2, 3, 4, 5, 6])
        // Retransmitted and never answered: unanswered even though Timer F has not run out.
        #expect(ex[0].outcome == .unanswered)
        let timings = ex[0].retransmissionTimings
        #expect(timings.map(\.expected) == [0.5, 1, 2, 4, 4])
        #expect(timings.allSatisfy { $0.followsTimerE })
    }

    @Test func offScheduleCopiesAreFlagged() {
        let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-q", cseq: 1, frame: 1, at: 0)
        var c = r
        c.frame = 2
        c.time = Fix.time(10)
        let timings = track([r, c], end: 11)[0].retransmissionTimings
        #expect(timings.count == 1)
        #expect(timings[0].followsTimerE == false)
    }

    @Test func provisionalThenFinal() {
        let r = Fix.request("REGISTER", uri: "sip:pbx.example", branch: "z9hG4bK-p", frame: 1, at: 0, from: Fix.phone44, to: Fix.pbx)
        let trying = Fix.response(to: r, 100, frame: 2, at: 0.01)
        let ok = Fix.response(to: r, 200, frame: 3, at: 0.2)
        let ex = track([r, trying, ok], end: 1)
        #expect(ex[0].responses.map(\.status) == [100, 200])
        #expect(ex[0].finalResponse?.frame == 3)
        #expect(abs((ex[0].latencyMs ?? 0) - 200) < 0.5)
    }

    @Test func provisionalOnlyIsUnknownUntilTimerF() {
        let r = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-p", frame: 1, at: 0)
        let trying = Fix.response(to: r, 100, frame: 2, at: 0.01)
        #expect(track([r, trying], end: 5)[0].outcome == .unknown)
        #expect(track([r, trying], end: 40)[0].outcome == .unanswered)
    }

    @Test func unansweredAfterTimerFUnknownBefore() {
        let r = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-f", frame: 1, at: 0, transport: .tcp)
        #expect(track([r], end: 31)[0].outcome == .unknown)
        #expect(track([r], end: 33)[0].outcome == .unanswered)
    }

    @Test func responseMustTravelBackOrFallsBackToLatest() {
        // Two PBX legs with the same branch (a duplicate capture on two interfaces is the usual cause).
        let a = Fix.request("MESSAGE", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-d", frame: 1, at: 0, to: Fix.phone44)
        let b = Fix.request("MESSAGE", uri: "sip:45@10.0.0.45", branch: "z9hG4bK-d", frame: 2, at: 0.001, to: Fix.phone45)
        let ra = Fix.response(to: a, 200, frame: 3, at: 0.1)
        let ex = track([a, b, ra], end: 1)
        #expect(ex.count == 2)
        #expect(ex[0].finalStatus == 200)
        #expect(ex[1].responses.isEmpty)
    }

    @Test func icmpUnreachableAttachesToTheQuotedRequest() {
        let other = Fix.buttons("k=1\r\n", branch: "z9hG4bK-o", cseq: 1, frame: 1, at: 0, to: Fix.phone45)
        let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-i", cseq: 2, frame: 2, at: 0.1)
        let icmp = ICMPUnreachable(reporter: Fix.phone44.address, originalSource: Fix.pbx, originalDestination: Fix.phone44,
                                   originalTransport: 17, reason: "port unreachable", frame: 3)
        let ex = track([other, r], icmp: [(icmp, 0.11)], end: 1)
        #expect(ex[0].unreachable.isEmpty)
        #expect(ex[1].unreachable.map(\.frame) == [3])
        #expect(ex[1].outcome == .unanswered)
    }

    @Test func icmpForAnotherPortIsNotAttached() {
        let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-i", cseq: 2, frame: 1, at: 0)
        let icmp = ICMPUnreachable(reporter: Fix.phone44.address, originalSource: Fix.pbx,
                                   originalDestination: Endpoint(address: Fix.phone44.address, port: 5062),
                                   originalTransport: 17, reason: "port unreachable", frame: 2)
        var t = ExchangeTracker()
        t.add(r)
        t.add(icmp, time: Fix.time(0.01))
        let ex = t.finish(captureEnd: Fix.time(1))
        #expect(ex[0].unreachable.isEmpty)
        #expect(t.unmatchedUnreachables.count == 1)
    }

    @Test func responsesWithoutRequestAreKeptAside() {
        let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-n", cseq: 1, frame: 1, at: 0)
        var t = ExchangeTracker()
        t.add(Fix.response(to: r, 200, frame: 2, at: 0.1))
        #expect(t.finish(captureEnd: Fix.time(1)).isEmpty)
        #expect(t.unmatchedResponses.count == 1)
    }

    @Test func quietTransactionsAreRetiredButStillReported() {
        var t = ExchangeTracker()
        for i in 0..<200 {
            let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-\(i)", cseq: UInt32(i), frame: 2 * i + 1, at: Double(i))
            t.add(r)
            t.add(Fix.response(to: r, 200, frame: 2 * i + 2, at: Double(i) + 0.01))
        }
        let ex = t.finish(captureEnd: Fix.time(300))
        #expect(ex.count == 200)
        #expect(ex.allSatisfy { $0.outcome == .accepted })
        #expect(ex.map(\.request.frame) == (0..<200).map { 2 * $0 + 1 })
    }

    @Test func ackIsNotATransaction() {
        let ack = Fix.request("ACK", uri: "sip:44@10.0.0.44", branch: "z9hG4bK-k", frame: 1, at: 0)
        #expect(track([ack], end: 1).isEmpty)
    }
}
