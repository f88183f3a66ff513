import Foundation
import NIOConcurrencyHelpers

/// `watch --hep` on two cores: the sockets, HEP decoding, SIP parsing, the reorder window and
/// duplicate removal run on a thread of their own, and hand what they made to the watch loop,
/// which pairs, tracks keys and prints. Either half alone was under half of a busy collector's time.
///
/// Bounded: at most `capacity` messages wait (about 2 KB each); a full handoff stops the intake
/// until the loop has taken them, and the kernel's receive buffer (and its counted drops) absorbs
/// the rest.
///
/// `@unchecked Sendable`: `source`'s receiver and collector are touched only by the intake thread
/// until `stop()` has joined it; `batches` and `state` only with `lock` held.
final class HEPIntakeThread: @unchecked Sendable {
    private let source: WatchHEPSource
    private let capacity: Int
    /// 1 while batches wait, 0 when none does: the loop waits for 1, a full intake for 0.
    private let lock = ConditionLock(value: 0)
    private var batches: [[WatchHEPSource.Item]] = []
    /// Messages and diagnostics in `batches`.
    private var waiting = 0
    private var stopping = false
    private var finished = false
    private var thread: Thread?

    init(source: WatchHEPSource, capacity: Int = 10_000) {
        self.source = source
        self.capacity = capacity
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "hep-intake"
        self.thread = thread
        thread.start()
    }

    /// The batches made so far, waiting up to `timeoutMs` for one; in the order they were made.
    func take(timeoutMs: Int) -> [[WatchHEPSource.Item]] {
        guard lock.lock(whenValue: 1, timeoutSeconds: Double(timeoutMs) / 1000) else { return [] }
        let taken = batches
        batches.removeAll(keepingCapacity: true)
        waiting = 0
        lock.unlock(withValue: 0)
        return taken
    }

    /// Stops the intake after it has read what was queued (see `drainAndFinish`) and released the
    /// window; returns the last batches.
    func stop() -> [[WatchHEPSource.Item]] {
        lock.lock()
        stopping = true
        let value = batches.isEmpty ? 0 : 1
        lock.unlock(withValue: value)
        var rest: [[WatchHEPSource.Item]] = []
        while true {
            rest += take(timeoutMs: 100)
            lock.lock()
            let done = finished && batches.isEmpty
            lock.unlock(withValue: batches.isEmpty ? 0 : 1)
            if done { return rest }
        }
    }

    private func run() {
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock(withValue: batches.isEmpty ? 0 : 1)
            if stop { break }
            var items: [WatchHEPSource.Item] = []
            source.intake(timeoutMs: 50, into: &items)
            if !items.isEmpty { put(items) }
        }
        put(source.drainAndFinish())
        lock.lock()
        finished = true
        lock.unlock(withValue: batches.isEmpty ? 0 : 1)
    }

    private func put(_ items: [WatchHEPSource.Item]) {
        lock.lock()
        while waiting >= capacity && !stopping {
            lock.unlock(withValue: 1)
            // Full: wait until the loop has taken every batch (re-checking `stopping` now and then).
            if !lock.lock(whenValue: 0, timeoutSeconds: 0.1) { lock.lock() }
        }
        batches.append(items)
        waiting += items.reduce(0) { n, item in
            if case .released(let r) = item { return n + r.count } else { return n + 1 }
        }
        lock.unlock(withValue: 1)
    }
}
