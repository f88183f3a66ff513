import Capture
import Foundation
import Testing

/// `BatchHandoff.take(waitingAtMost:)`: the live watch loop keeps its clock (Timer F, Ctrl-C)
/// while it waits for the HEP intake thread, so a take must come back empty when nothing came.
@Suite struct BatchHandoffTimedTakeTests {
    @Test func anEmptyQueueComesBackEmptyAfterTheWait() {
        let handoff = BatchHandoff<Int>(capacity: 2)
        let start = Date()
        let taken = handoff.take(waitingAtMost: 0.05)
        let waited = Date().timeIntervalSince(start)
        #expect(taken == [])
        #expect(waited >= 0.04, "returned after \(waited) s")
    }

    @Test func aBatchPutFromAnotherThreadWakesTheWaiter() {
        let handoff = BatchHandoff<Int>(capacity: 2)
        let producer = Thread {
            Thread.sleep(forTimeInterval: 0.02)
            var batch = [1, 2, 3]
            handoff.put(&batch)
            handoff.close()
        }
        producer.start()
        #expect(handoff.take(waitingAtMost: 5) == [1, 2, 3])
        // Closed and empty: nil, at once, however long the caller would wait.
        #expect(handoff.take(waitingAtMost: 5) == nil)
    }

    /// `put(_:waitingAtMost:)`: the HEP intake frees what the loop handed back while the handoff
    /// is full, so a full queue must give the batch back after the wait instead of blocking.
    @Test func aFullQueueGivesTheBatchBackAfterTheWaitThenTakesItWhenThereIsRoom() {
        let handoff = BatchHandoff<Int>(capacity: 1)
        var first = [1]
        #expect(handoff.put(&first, waitingAtMost: 0) && first.isEmpty)
        var second = [2, 3]
        let start = Date()
        #expect(!handoff.put(&second, waitingAtMost: 0.05))
        #expect(second == [2, 3] && Date().timeIntervalSince(start) >= 0.04)
        let consumer = Thread {
            Thread.sleep(forTimeInterval: 0.02)
            _ = handoff.take()
        }
        consumer.start()
        #expect(handoff.put(&second, waitingAtMost: 5) && second.isEmpty)
        #expect(handoff.take(waitingAtMost: 0) == [2, 3])
    }

    @Test func batchesComeOutInTheOrderTheyWentIn() {
        let handoff = BatchHandoff<Int>(capacity: 3)
        for n in 1...3 { var b = [n]; handoff.put(&b) }
        #expect(handoff.take(waitingAtMost: 0) == [1])
        #expect(handoff.take(waitingAtMost: 0) == [2])
        #expect(handoff.take(waitingAtMost: 0) == [3])
        #expect(handoff.take(waitingAtMost: 0) == [])
    }
}
