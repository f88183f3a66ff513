#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decoding on one thread, analysis on another: `produce` runs on a second thread and everything
/// it emits reaches `consume` on the calling thread, in the order emitted, through a bounded
/// `BatchHandoff` (at most `depth` batches of `batchSize` items wait, so memory stays bounded).
/// The consumer sees exactly the sequence a single thread would have seen; only the two stages
/// overlap in time, which on two cores takes the slower stage's time instead of the sum.
///
/// `produce` calls `emit` for each item and `endOfUnit` after each unit of input (a frame): a
/// partial batch goes over then if the consumer is idle, so a slow live source is not delayed.
public enum PipelinedStream {
    /// Yes unless `BUTTONSCOPE_ONE_THREAD=1`, which keeps both stages on one thread (to compare
    /// the two, or to profile).
    public static let enabled: Bool = getenv("BUTTONSCOPE_ONE_THREAD").map { String(cString: $0) } != "1"

    /// `threaded: false` (or a failed thread start) runs both on the calling thread, interleaved.
    public static func run<Item>(threaded: Bool = true, batchSize: Int = 256, depth: Int = 4,
                                 produce: (_ emit: (Item) -> Void, _ endOfUnit: () -> Void) -> Void,
                                 consume: (Item) -> Void) {
        guard threaded else {
            withoutActuallyEscaping(consume) { consume in produce(consume, {}) }
            return
        }
        let handoff = BatchHandoff<Item>(capacity: depth)
        withoutActuallyEscaping(produce) { produce in
            let producer = Producer {
                var batch: [Item] = []
                batch.reserveCapacity(batchSize)
                produce({ item in
                    batch.append(item)
                    if batch.count >= batchSize {
                        handoff.put(&batch)
                        batch.reserveCapacity(batchSize)
                    }
                }, {
                    if !batch.isEmpty && handoff.putIfWanted(&batch) { batch.reserveCapacity(batchSize) }
                })
                if !batch.isEmpty { handoff.put(&batch) }
                handoff.close()
            }
            guard producer.start() else {
                // No second thread: the same work on this one.
                withoutActuallyEscaping(consume) { consume in produce(consume, {}) }
                return
            }
            while let batch = handoff.take() {
                for item in batch { consume(item) }
            }
            producer.join()
        }
    }
}

/// One joinable thread running a closure (pthread: no Foundation in this module).
/// `@unchecked Sendable`: `body` is run only by the new thread, and `thread` is written before it
/// starts and read by `join` after; the closure's own captures are the caller's to hand over.
private final class Producer: @unchecked Sendable {
    let body: () -> Void
    private var thread: pthread_t?

    init(_ body: @escaping () -> Void) { self.body = body }

    func start() -> Bool {
        var t = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&t, nil, { context in
            let me = Unmanaged<Producer>.fromOpaque(context!).takeRetainedValue()
            me.body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Producer>.fromOpaque(context).release()
            return false
        }
        thread = t
        return true
    }

    func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }
}
