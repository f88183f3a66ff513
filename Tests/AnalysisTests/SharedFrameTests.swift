@testable import SIPCapture
import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

/// Two requests completed by one frame (one TCP segment carrying both): each keeps its own
/// exchange, its own outcome, and its place in the order.
@Suite struct SharedFrameTests {
    /// Two MESSAGEs for keys 1 and 2 in frame 4 over TCP; the first answered 200, the second 404.
    static func segment() -> (first: CapturedMessage, second: CapturedMessage, answers: [CapturedMessage]) {
        var a = Fix.buttons("k=1\r\nc=on\r\n", branch: "z9hG4bK-one", cseq: 1, frame: 4, at: 1)
        var b = Fix.buttons("k=2\r\nc=on\r\n", branch: "z9hG4bK-two", cseq: 2, frame: 4, at: 1)
        a.transport = .tcp
        b.transport = .tcp
        var ok = Fix.response(to: a, 200, frame: 5, at: 1.01)
        var notFound = Fix.response(to: b, 404, frame: 6, at: 1.02)
        ok.transport = .tcp
        notFound.transport = .tcp
        return (a, b, [ok, notFound])
    }

    @Test func outcomeIndexTellsTheTwoApart() {
        let (a, b, answers) = Self.segment()
        var tracker = ExchangeTracker()
        for m in [a, b] + answers { tracker.add(m) }
        let index = OutcomeIndex(tracker.finish(captureEnd: Fix.time(2)))
        #expect(index[a]?.finalStatus == 200)
        #expect(index[a]?.outcome == .accepted)
        #expect(index[b]?.finalStatus == 404)
        #expect(index[b]?.outcome == .rejected)
        #expect(index[a]?.request.message.callID == a.message.callID)
    }

    @Test func sameFrameKeepsWireOrder() {
        let (a, b, answers) = Self.segment()
        // The second is answered first: the order still follows the wire.
        var tracker = ExchangeTracker()
        for m in [a, b, answers[1], answers[0]] { tracker.add(m) }
        let all = tracker.finish(captureEnd: Fix.time(2))
        #expect(all.map { $0.request.message.callID ?? "" } == [a.message.callID ?? "?", b.message.callID ?? "?"])
        #expect(all.map(\.finalStatus) == [200, 404])
    }

    @Test func orderedExchangesWaitForAnOlderOpenOne() {
        // Frame 1 is answered 20 s late; frame 2 at once. Frame 2 settles first but must wait.
        let slow = Fix.buttons("k=1\r\nc=on\r\n", branch: "z9hG4bK-slow", cseq: 1, frame: 1, at: 0)
        let fast = Fix.buttons("k=2\r\nc=on\r\n", branch: "z9hG4bK-fast", cseq: 2, frame: 2, at: 0.1)
        var stream = OrderedExchanges()
        var out: [Int] = []
        let emit: (Exchange) -> Void = { out.append($0.request.frame) }
        stream.add(slow, emit: emit)
        stream.add(fast, emit: emit)
        stream.add(Fix.response(to: fast, 200, frame: 3, at: 0.2), emit: emit)
        stream.add(Fix.response(to: slow, 200, frame: 4, at: 20), emit: emit)
        // 45 s after frame 2's last activity: it has settled, but frame 1 was active at 20 s.
        stream.add(Fix.request("OPTIONS", uri: "sip:x", branch: "z9hG4bK-o1", callID: "o1", frame: 5, at: 45), emit: emit)
        #expect(out.isEmpty)
        stream.add(Fix.request("OPTIONS", uri: "sip:x", branch: "z9hG4bK-o2", callID: "o2", frame: 6, at: 70), emit: emit)
        #expect(out == [1, 2])
        stream.finish(captureEnd: Fix.time(71), emit: emit)
        #expect(out == [1, 2, 5, 6])
        #expect(stream.outOfOrder == 0)
    }

    @Test func orderedExchangesStayBounded() {
        // A transaction kept alive for ever (the same request every 4 s) must not hold the rest.
        var stream = OrderedExchanges(maxWaiting: 10)
        var out: [Int] = []
        let stuck = Fix.buttons("k=1\r\nc=on\r\n", branch: "z9hG4bK-stuck", cseq: 1, frame: 1, at: 0)
        var frame = 1
        stream.add(stuck, emit: { out.append($0.request.frame) })
        for i in 1...200 {
            frame += 1
            var copy = stuck
            copy.frame = frame
            copy.time = Fix.time(Double(i) * 4)
            stream.add(copy, emit: { out.append($0.request.frame) })
            frame += 1
            let other = Fix.buttons("k=2\r\nc=on\r\n", branch: "z9hG4bK-o\(i)", cseq: UInt32(i + 1), frame: frame, at: Double(i) * 4 + 0.1)
            stream.add(other, emit: { out.append($0.request.frame) })
        }
        #expect(out.count > 100, "settled exchanges behind a stuck one must still go on")
    }
}
