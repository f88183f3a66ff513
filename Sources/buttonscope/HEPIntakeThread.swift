import Capture
import Analysis
import Foundation
import NIOConcurrencyHelpers

/// `watch --hep` on two cores: the sockets, HEP decoding, SIP parsing, the reorder window and
/// duplicate removal run on a thread of their own, and hand what they made to the watch loop,
/// which pairs, tracks keys and prints. Either half alone was under half of a busy collector's time.
///
/// Bounded, through the same `BatchHandoff` as the file pipeline's two threads: at most
/// `batches` batches of at most `batchLimit` messages (about 2 KB each, parsed) wait; a full
/// handoff stops the intake until the loop has taken one, and the kernel's receive buffer (and
/// its counted drops) absorbs the rest.
///
/// `@unchecked Sendable`: `source`'s receiver and collector are touched only by the intake thread
/// until `stop()` has drained it; `handoff` and `stopping` are safe across threads by themselves.
final class HEPIntakeThread: @unchecked Sendable {
    private let source: WatchHEPSource
    private let handoff: BatchHandoff<WatchHEPSource.Item>
    private let batchLimit: Int
    private let stopping = NIOLockedValueBox(false)
    /// What the watch loop is done with (the batches it read, the requests the pairing let go),
    /// freed here: this thread made those messages, and freeing them where they were made is cheaper
    /// and off the loop, the collector's busier half. Bounded: past the bound the loop frees its own.
    private let recycled = NIOLockedValueBox<(batches: [[WatchHEPSource.Item]], requests: [[LiveExchanges.Pending]], count: Int)>(([], [], 0))
    static let maxRecycled = 5_000

    init(source: WatchHEPSource, batches: Int = 10, batchLimit: Int = 1_000) {
        self.source = source
        self.handoff = BatchHandoff(capacity: batches)
        self.batchLimit = batchLimit
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "hep-intake"
        thread.start()
    }

    /// The oldest batch made, waiting up to `timeoutMs` for it. One at a time: a loop that took
    /// every waiting batch at once held them all while the intake filled the handoff again, twice
    /// the messages the handoff bounds.
    func take(timeoutMs: Int) -> [WatchHEPSource.Item]? {
        guard let batch = handoff.take(waitingAtMost: Double(timeoutMs) / 1000), !batch.isEmpty else { return nil }
        return batch
    }

    /// Stops the intake after it has read what was queued (see `drainAndFinish`) and released the
    /// window; returns the last batches.
    func stop() -> [[WatchHEPSource.Item]] {
        stopping.withLockedValue { $0 = true }
        var rest: [[WatchHEPSource.Item]] = []
        while let batch = handoff.take() { rest.append(batch) }
        return rest
    }

    /// Hands back what the loop is done with, to be freed on this thread (see `recycled`).
    func recycle(_ batch: [WatchHEPSource.Item], requests: [LiveExchanges.Pending]) {
        // Messages, not items: one item can hold a whole release of the window.
        var size = requests.count
        for item in batch { if case .released(let r) = item { size += r.count } else { size += 1 } }
        recycled.withLockedValue { bin in
            guard bin.count + size <= Self.maxRecycled else { return }
            bin.batches.append(batch)
            if !requests.isEmpty { bin.requests.append(requests) }
            bin.count += size
        }
    }

    private func run() {
        while !stopping.withLockedValue({ $0 }) {
            freeRecycled()
            var items: [WatchHEPSource.Item] = []
            source.intake(timeoutMs: 50, limit: batchLimit, into: &items)
            for var batch in Self.batches(items, limit: batchLimit) { hand(&batch) }
        }
        for var batch in Self.batches(source.drainAndFinish(), limit: batchLimit) { hand(&batch) }
        handoff.close()
    }

    /// Into the handoff, freeing what the loop hands back while it is full: a loop catching up hands
    /// back batch after batch, and they must not pile up while this thread waits.
    private func hand(_ batch: inout [WatchHEPSource.Item]) {
        while !handoff.put(&batch, waitingAtMost: 0.005) { freeRecycled() }
    }

    /// Taken out under the lock, freed outside it.
    private func freeRecycled() {
        let done = recycled.withLockedValue { bin in
            let taken = bin
            bin = ([], [], 0)
            return taken
        }
        _ = done
    }

    /// Items in batches of at most `limit` messages (a diagnostic counts as one): the messages
    /// waiting in the handoff are then bounded, not only its batches. One release of the reorder
    /// window can be thousands of messages, each parsed, a few KB.
    static func batches(_ items: [WatchHEPSource.Item], limit: Int) -> [[WatchHEPSource.Item]] {
        var out: [[WatchHEPSource.Item]] = []
        var batch: [WatchHEPSource.Item] = []
        var room = limit
        func close() {
            if !batch.isEmpty { out.append(batch) }
            batch = []
            room = limit
        }
        for item in items {
            switch item {
            case .diagnostic:
                if room == 0 { close() }
                batch.append(item)
                room -= 1
            case .released(let released):
                var start = 0
                while start < released.count {
                    if room == 0 { close() }
                    let end = min(released.count, start + room)
                    batch.append(.released(Array(released[start..<end])))
                    room -= end - start
                    start = end
                }
            }
        }
        close()
        return out
    }
}
