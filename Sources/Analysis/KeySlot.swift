import Base
import Buttons
import Capture

/// What one key of one phone was last told, and what it most likely shows.
public struct KeySlot: Sendable {
    public struct Sent: Sendable {
        public var state: KeyState
        public var frame: Int
        public var time: Timestamp
        public var outcome: ExchangeOutcome
        public var status: Int?
    }

    public struct Shown: Sendable {
        public var state: KeyState
        public var frame: Int
        public var time: Timestamp
    }

    public var key: String
    /// The last document sent for the key, whatever became of it.
    public var sent: Sent?
    /// The last document the phone accepted (2xx) under the right Content-Type: what its lamp most likely shows.
    public var shown: Shown?

    public init(key: String) { self.key = key }
}

/// One phone's keys, as on its key panel.
public struct PhonePanel: Sendable {
    public var phone: PhoneRef
    /// In key order (numbers by value, then names).
    public var keys: [KeySlot] {
        // The names sorted, each read as a number once, rather than the slots with a parse per comparison.
        slots.keys.map { (name: $0, number: Int($0)) }
            .sorted { KeyOrder.precedes($0.name, $0.number, $1.name, $1.number) }
            .compactMap { slots[$0.name] }
    }
    var slots: [String: KeySlot] = [:]

    public init(phone: PhoneRef) { self.phone = phone }
}

/// Keys as a phone panel orders them: `2` before `10`, numbers before names.
public enum KeyOrder {
    public static func precedes(_ a: String, _ b: String) -> Bool {
        precedes(a, Int(a), b, Int(b))
    }

    /// `precedes(_:_:)` with each key's number (`Int(key)`) already read.
    static func precedes(_ a: String, _ aNumber: Int?, _ b: String, _ bNumber: Int?) -> Bool {
        switch (aNumber, bNumber) {
        case let (x?, y?): return x != y ? x < y : a < b
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }
}
