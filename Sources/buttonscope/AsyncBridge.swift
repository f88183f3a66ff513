import Dispatch
import Pipeline
import Rendering

/// Runs async work from a synchronous command (the root command is not async), waiting for it.
enum AsyncBridge {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { fatalError("async work ended without a result") }
        return try result.get()
    }
}

/// `@unchecked Sendable`: `result` is written once, by the task, before it signals the semaphore,
/// and read only after `wait()` returns: the semaphore orders the two accesses.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
