import NIOConcurrencyHelpers
import Sender

/// The calls the phone's keys started, by key: a second press of the key ends its call.
final class PhoneCalls: Sendable {
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

    /// A BYE from the far end for one of these calls: it is over (and forgotten). False when no
    /// call has that Call-ID, so the BYE gets 481 as RFC 3261 §15.1.2 asks.
    func peerSentBye(callID: String) -> Bool {
        calls.withLockedValue { all in
            guard let (key, _) = all.first(where: { $0.value.peerSentBye(callID: callID) }) else { return false }
            all[key] = nil
            return true
        }
    }

    /// Every call still up, and forgets them.
    func removeAll() -> [String: OutgoingCall] {
        calls.withLockedValue { all in
            let out = all.filter { !$0.value.isOver }
            all = [:]
            return out
        }
    }
}
