#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Capture
import TestSupport

/// Decoding on a second thread must not change what the consumer sees: every item, once, in the
/// order produced, whatever the batch size, queue depth and relative speed of the two threads;
/// and the queue between them stays bounded.
@Suite struct PipelinedStreamTests {
    /// Produces `count` numbers in units of `perUnit`, optionally pausing, and collects what arrives.
    func run(count: Int, perUnit: Int, batchSize: Int, depth: Int, threaded: Bool = true,
             slowProducer: Bool = false, slowConsumer: Bool = false) -> [Int] {
        var got: [Int] = []
        PipelinedStream.run(threaded: threaded, batchSize: batchSize, depth: depth, produce: { emit, endOfUnit in
            var n = 0
            while n < count {
                for _ in 0..<min(perUnit, count - n) { emit(n); n += 1 }
                endOfUnit()
                if slowProducer && n % 64 == 0 { usleep(50) }
            }
        }, consume: { item in
            got.append(item)
            if slowConsumer && item % 64 == 0 { usleep(50) }
        })
        return got
    }

    @Test func everyItemOnceInOrder() {
        let want = Array(0..<50_000)
        #expect(run(count: 50_000, perUnit: 3, batchSize: 256, depth: 16) == want)
        #expect(run(count: 50_000, perUnit: 1, batchSize: 1, depth: 1) == want)
        #expect(run(count: 50_000, perUnit: 7, batchSize: 5, depth: 2, threaded: false) == want)
    }

    @Test func orderHoldsWhicheverSideIsSlower() {
        let want = Array(0..<20_000)
        #expect(run(count: 20_000, perUnit: 2, batchSize: 16, depth: 2, slowProducer: true) == want)
        #expect(run(count: 20_000, perUnit: 2, batchSize: 16, depth: 2, slowConsumer: true) == want)
    }

    @Test func nothingProducedNothingConsumed() {
        #expect(run(count: 0, perUnit: 1, batchSize: 8, depth: 4).isEmpty)
    }

    @Test func handoffIsFirstInFirstOutAndBounded() {
        let handoff = BatchHandoff<Int>(capacity: 3)
        var batch = [1, 2]
        handoff.put(&batch)
        #expect(batch.isEmpty)
        var second = [3]
        handoff.put(&second)
        var third = [4, 5, 6]
        handoff.put(&third)
        // Full: a put only if wanted is refused (nobody is waiting either).
        var fourth = [7]
        #expect(!handoff.putIfWanted(&fourth))
        #expect(fourth == [7])
        #expect(handoff.take() == [1, 2])
        #expect(handoff.take() == [3])
        handoff.put(&fourth)
        handoff.close()
        #expect(handoff.take() == [4, 5, 6])
        #expect(handoff.take() == [7])
        #expect(handoff.take() == nil)
    }

    @Test func aPartialBatchGoesAtOnceWhenTheConsumerWaits() {
        // A live source: one item per unit, far fewer than a batch. The consumer must get each
        // item while the producer is still running, not only when the batch fills or at the end.
        var seenWhileRunning = 0
        var producerDone = false
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
        defer { pthread_mutex_destroy(lock); lock.deallocate() }
        PipelinedStream.run(batchSize: 1_000, depth: 4, produce: { emit, endOfUnit in
            for i in 0..<5 {
                emit(i)
                // Wait (at most 2 s) for the consumer to be idle and waiting before offering.
                for _ in 0..<2_000 {
                    endOfUnit()
                    usleep(1_000)
                    pthread_mutex_lock(lock)
                    let seen = seenWhileRunning
                    pthread_mutex_unlock(lock)
                    if seen > i { break }
                }
            }
            pthread_mutex_lock(lock)
            producerDone = true
            pthread_mutex_unlock(lock)
        }, consume: { _ in
            pthread_mutex_lock(lock)
            if !producerDone { seenWhileRunning += 1 }
            pthread_mutex_unlock(lock)
        })
        #expect(seenWhileRunning == 5)
    }
}
