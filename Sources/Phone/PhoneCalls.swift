import NIOConcurrencyHelpers
import Sender

/// The calls the phone's keys started, by key: a second press of the key ends its call.
final class PhoneCalls: @unchecked Sendable {
    private let calls = NIOLockedValueBox<[String: OutgoingCall]>([:])

    /// The key's call if it is still up (or being set up).
    func active(_ key: String) -> OutgoingCall? {
        calls.withLockedValue { all in
            guard let call = all[key] else { return nil }
            if call.isOver { all[key] = nil; return nil }
            return call
        }
    }

    func add(_ call: OutgoingCall, for key: String) { calls.withLockedValue { $0[key] = call } }

    /// Every call still up, and forgets them.
    func removeAll() -> [String: OutgoingCall] {
        calls.withLockedValue { all in
            let out = all.filter { !$0.value.isOver }
            all = [:]
            return out
        }
    }
}
