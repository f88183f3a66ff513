#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded first-in first-out queue of batches between one producing and one consuming thread:
/// `put` waits while `capacity` batches are waiting, `take` waits while none is. A ring of slots,
/// so handing a batch over allocates nothing; the batch itself is moved, not copied.
///
/// `@unchecked Sendable`: every field is read and written with `mutex` held.
public final class BatchHandoff<Item>: @unchecked Sendable {
    public let capacity: Int
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let notEmpty: UnsafeMutablePointer<pthread_cond_t>
    private let notFull: UnsafeMutablePointer<pthread_cond_t>
    private var slots: [[Item]]
    private var head = 0
    private var count = 0
    private var closed = false
    /// The consumer is waiting for a batch: the producer hands over what it has at once.
    private var consumerWaiting = false

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        slots = Array(repeating: [], count: self.capacity)
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        notEmpty = .allocate(capacity: 1)
        notEmpty.initialize(to: pthread_cond_t())
        pthread_cond_init(notEmpty, nil)
        notFull = .allocate(capacity: 1)
        notFull.initialize(to: pthread_cond_t())
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        pthread_mutex_destroy(mutex)
        notFull.deallocate()
        notEmpty.deallocate()
        mutex.deallocate()
    }

    /// Appends a batch, waiting while the queue is full; `batch` is left empty.
    public func put(_ batch: inout [Item]) {
        pthread_mutex_lock(mutex)
        while count == capacity { pthread_cond_wait(notFull, mutex) }
        swap(&slots[(head + count) % capacity], &batch)
        count += 1
        pthread_cond_signal(notEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// Appends a batch, waiting at most `seconds` while the queue is full: false when it still was
    /// (`batch` is then kept), so a producer can do other work while it waits (a collector frees
    /// what the consumer handed back).
    public func put(_ batch: inout [Item], waitingAtMost seconds: Double) -> Bool {
        var deadline = Self.deadline(after: seconds)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == capacity {
            if pthread_cond_timedwait(notFull, mutex, &deadline) == ETIMEDOUT { break }
        }
        guard count < capacity else { return false }
        swap(&slots[(head + count) % capacity], &batch)
        count += 1
        pthread_cond_signal(notEmpty)
        return true
    }

    private static func deadline(after seconds: Double) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + Int(max(0, seconds) * 1e9)
        return timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
    }

    /// Appends `batch` only if the consumer is waiting for one (so a slow source, a live capture
    /// on stdin, is not held back until a batch fills); true when it did.
    public func putIfWanted(_ batch: inout [Item]) -> Bool {
        guard pthread_mutex_trylock(mutex) == 0 else { return false }
        guard consumerWaiting && count < capacity else {
            pthread_mutex_unlock(mutex)
            return false
        }
        swap(&slots[(head + count) % capacity], &batch)
        count += 1
        pthread_cond_signal(notEmpty)
        pthread_mutex_unlock(mutex)
        return true
    }

    /// No more batches will come.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_signal(notEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// The oldest batch, waiting for one; nil once the queue is closed and empty.
    public func take() -> [Item]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed {
            consumerWaiting = true
            pthread_cond_wait(notEmpty, mutex)
        }
        consumerWaiting = false
        return takeLocked()
    }

    /// The oldest batch, waiting at most `seconds` for one (a consumer with a clock to keep, such
    /// as a live watch loop): empty when none came in time, nil once closed and empty.
    public func take(waitingAtMost seconds: Double) -> [Item]? {
        var deadline = Self.deadline(after: seconds)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed {
            consumerWaiting = true
            if pthread_cond_timedwait(notEmpty, mutex, &deadline) == ETIMEDOUT { break }
        }
        consumerWaiting = false
        if count == 0 && !closed { return [] }
        return takeLocked()
    }

    /// With the mutex held.
    private func takeLocked() -> [Item]? {
        guard count > 0 else { return nil }
        var batch: [Item] = []
        swap(&batch, &slots[head])
        head = (head + 1) % capacity
        count -= 1
        pthread_cond_signal(notFull)
        return batch
    }
}
