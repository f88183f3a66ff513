import Base
@testable import Capture
import SIP
import SIPCapture
import Testing
@testable import Analysis
import TestSupport

/// The tracker's open table: retirement follows last activity (a heap, not a sort per request),
/// keys find their newest transaction first, and the table hands back exactly what it holds.
@Suite struct OpenTransactionsTests {
    func exchange(_ i: Int) -> Exchange {
        Exchange(method: "MESSAGE", request: Fix.buttons("k=1\r\n", branch: "z9hG4bK-\(i)", cseq: UInt32(i), frame: i, at: Double(i)),
                 outcome: .unknown)
    }

    /// Drains the table least active first, returning request frames.
    func drain(_ table: inout OpenTransactions<String>) -> [Int] {
        var order: [Int] = []
        while let (h, _) = table.leastActive() { order.append(table.remove(h).request.frame) }
        return order
    }

    @Test func retiresLeastRecentlyActiveFirst() {
        var table = OpenTransactions<String>()
        var handles: [Int] = []
        for i in 1...5 { handles.append(table.insert(exchange(i), key: "k\(i)", time: Fix.time(Double(i)))) }
        // Activity on 1 and 3 moves them behind the rest, 3 last.
        table.touch(handles[0], at: Fix.time(10))
        table.touch(handles[2], at: Fix.time(11))
        #expect(table.count == 5)
        #expect(drain(&table) == [2, 4, 5, 1, 3])
        #expect(table.isEmpty)
    }

    @Test func orderSurvivesManyTouchesAndRebuilds() {
        // Far more touches than live transactions: the lazy heap is rebuilt several times.
        var table = OpenTransactions<String>()
        var handles: [Int] = []
        for i in 0..<50 { handles.append(table.insert(exchange(i), key: "k\(i)", time: Fix.time(0))) }
        var last = Array(repeating: 0.0, count: 50)
        var t = 1.0
        for round in 0..<200 {
            for j in stride(from: round % 7, to: 50, by: 7) {
                table.touch(handles[j], at: Fix.time(t))
                last[j] = t
                t += 0.001
            }
        }
        let expected = (0..<50).sorted { last[$0] != last[$1] ? last[$0] < last[$1] : $0 < $1 }
        #expect(drain(&table) == expected)
    }

    @Test func sameKeyChainsNewestFirstAndUnlinksFromTheMiddle() {
        var table = OpenTransactions<String>()
        let a = table.insert(exchange(1), key: "same", time: Fix.time(1))
        let b = table.insert(exchange(2), key: "same", time: Fix.time(2))
        let c = table.insert(exchange(3), key: "same", time: Fix.time(3))
        #expect(table.newest(of: "same") == c)
        #expect(table.newest(of: "same", where: { $0.exchange.request.frame < 3 }) == b)
        _ = table.remove(b)
        #expect(table.newest(of: "same", where: { $0.exchange.request.frame < 3 }) == a)
        _ = table.remove(c)
        #expect(table.newest(of: "same") == a)
        _ = table.remove(a)
        #expect(table.newest(of: "same") == nil)
        // A freed handle is reused and its slot holds the new transaction only.
        let d = table.insert(exchange(4), key: "other", time: Fix.time(4))
        #expect([a, b, c].contains(d))
        #expect(table.slots[d]?.exchange.request.frame == 4)
        #expect(table.newest(of: "same") == nil)
        #expect(table.removeAll().map(\.request.frame) == [4])
    }

    @Test func trackerUnderFloodRetiresTheLeastActiveAndKeepsAnsweredOnes() {
        // maxOpen 16: past it, one (16 / 16) retires per request, the least recently active.
        var t = ExchangeTracker()
        t.maxOpen = 16
        var requests: [CapturedMessage] = []
        for i in 0..<16 {
            let r = Fix.buttons("k=1\r\n", branch: "z9hG4bK-f\(i)", cseq: UInt32(i + 1), frame: 2 * i + 1, at: Double(i) * 0.01)
            requests.append(r)
            t.add(r)
        }
        // The oldest request is answered: it is now the most recently active.
        t.add(Fix.response(to: requests[0], 200, frame: 40, at: 0.5))
        #expect(t.takeSettled().isEmpty)
        // Two more requests: the two least active (requests 1 and 2, not 0) retire early.
        for i in 16..<18 {
            t.add(Fix.buttons("k=1\r\n", branch: "z9hG4bK-f\(i)", cseq: UInt32(i + 1), frame: 41 + i, at: 0.6 + Double(i) * 0.01))
        }
        let settled = t.takeSettled().map(\.request.frame).sorted()
        #expect(settled == [requests[1].frame, requests[2].frame])
        let rest = t.finish(captureEnd: Fix.time(1))
        #expect(rest.count == 16)
        #expect(rest.first?.request.frame == 1 && rest.first?.outcome == .accepted)
        // An answer to a retired request finds nothing open.
        #expect(t.unmatchedResponses.isEmpty)
    }
}
