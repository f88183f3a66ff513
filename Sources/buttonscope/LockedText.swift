#if canImport(Glibc)
import Glibc
#endif
import Pipeline
import Rendering

/// Text that several threads append to, written out in the order it was appended.
///
/// `@unchecked Sendable`: the only state, `text`, is read and written with `mutex` held, and
/// the text is written out with the mutex held too, so no later part overtakes an earlier one.
final class LockedText: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var text = ""

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Appends `part` (and a line end when `newline`); once the text reaches `limit` bytes, hands
    /// all of it to `write` and starts again. One string, not a variadic list: this runs for every
    /// line a command prints, and an array a call showed in the profile.
    func append(_ part: String, newline: Bool = false, flushAt limit: Int, write: (String) -> Void) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        text += part
        if newline { text.append("\n") }
        guard text.utf8.count >= limit else { return }
        write(text)
        text = ""
    }

    /// Hands all the text so far to `write` (nothing when there is none), then runs `after`
    /// (stderr), the mutex held throughout: nothing appended meanwhile can come between them.
    func flush(write: (String) -> Void, then after: () -> Void = {}) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if !text.isEmpty {
            write(text)
            text = ""
        }
        after()
    }
}
