import Base
import Capture

/// The exchange tracker's open transactions: one table addressed by integer handles, a dictionary
/// from transaction key to the newest handle of that key (older ones chained behind it), and a
/// min-heap of last activity, so that retiring the least active costs O(log n) instead of a sort
/// of the whole table per request once it is full (a busy PBX keeps it full).
///
/// The heap is lazy: every touch pushes a new entry and leaves the old one behind, recognised by
/// its stamp no longer matching the slot's; it is rebuilt from the live slots when stale entries
/// outnumber them.
struct OpenTransactions<Key: Hashable> {
    struct Slot {
        var exchange: Exchange
        /// When the last copy of the request or of an answer was seen: decides retirement.
        var lastActivity: Timestamp
        var key: Key
        /// The next older transaction with the same key, or -1.
        var older: Int
        /// The heap entry that speaks for this slot (older entries are stale).
        var stamp: Int
    }

    /// Ordered by last activity, then by when the activity was recorded.
    struct Activity: Comparable {
        var time: Timestamp
        var stamp: Int
        var handle: Int
        static func < (a: Activity, b: Activity) -> Bool {
            a.time != b.time ? a.time < b.time : a.stamp < b.stamp
        }
    }

    private(set) var slots: [Slot?] = []
    private var freeHandles: [Int] = []
    private var newest: [Key: Int] = [:]
    private var activity = MinHeap<Activity>()
    private var stamps = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The newest transaction of `key` that satisfies `matches`, newest first (as a list in
    /// arrival order searched from its end).
    func newest(of key: Key, where matches: (Slot) -> Bool) -> Int? {
        var h = newest[key] ?? -1
        while h >= 0 {
            let slot = slots[h]!
            if matches(slot) { return h }
            h = slot.older
        }
        return nil
    }

    /// The newest transaction of `key`, whatever it is.
    func newest(of key: Key) -> Int? { newest[key] }

    @discardableResult
    mutating func insert(_ exchange: Exchange, key: Key, time: Timestamp) -> Int {
        stamps += 1
        let slot = Slot(exchange: exchange, lastActivity: time, key: key, older: newest[key] ?? -1, stamp: stamps)
        let handle: Int
        if let free = freeHandles.popLast() {
            handle = free
            slots[handle] = slot
        } else {
            handle = slots.count
            slots.append(slot)
        }
        newest[key] = handle
        activity.insert(Activity(time: time, stamp: stamps, handle: handle))
        count += 1
        return handle
    }

    /// Changes a transaction in place (no copy of its exchange).
    mutating func update(_ handle: Int, _ body: (inout Exchange) -> Void) {
        body(&slots[handle]!.exchange)
    }

    /// Records activity at `time`: the transaction moves in the retirement order.
    mutating func touch(_ handle: Int, at time: Timestamp) {
        stamps += 1
        slots[handle]!.lastActivity = time
        slots[handle]!.stamp = stamps
        activity.insert(Activity(time: time, stamp: stamps, handle: handle))
        if activity.count > 2 * count + 1024 { rebuildActivity() }
    }

    /// The least recently active transaction and its last activity, without removing it.
    mutating func leastActive() -> (handle: Int, lastActivity: Timestamp)? {
        while let top = activity.min {
            if let slot = slots[top.handle], slot.stamp == top.stamp { return (top.handle, slot.lastActivity) }
            activity.popMin()
        }
        return nil
    }

    /// Takes a transaction out of the table and hands its exchange back.
    mutating func remove(_ handle: Int) -> Exchange {
        let slot = slots[handle]!
        // Unlink it from its key's chain.
        if newest[slot.key] == handle {
            if slot.older >= 0 { newest[slot.key] = slot.older } else { newest.removeValue(forKey: slot.key) }
        } else {
            var h = newest[slot.key] ?? -1
            while h >= 0 {
                let older = slots[h]!.older
                if older == handle { slots[h]!.older = slot.older; break }
                h = older
            }
        }
        slots[handle] = nil
        freeHandles.append(handle)
        count -= 1
        if count == 0 {
            activity.removeAll()
        } else if activity.count > 2 * count + 1024 {
            rebuildActivity()
        }
        return slot.exchange
    }

    /// Every open transaction's handle, in table order.
    var handles: [Int] { slots.indices.filter { slots[$0] != nil } }

    /// Empties the table, handing every exchange back (in table order).
    mutating func removeAll() -> [Exchange] {
        let all = slots.compactMap { $0?.exchange }
        slots = []
        freeHandles = []
        newest = [:]
        activity.removeAll()
        count = 0
        return all
    }

    private mutating func rebuildActivity() {
        activity.removeAll()
        for (h, slot) in slots.enumerated() {
            guard let slot else { continue }
            activity.insert(Activity(time: slot.lastActivity, stamp: slot.stamp, handle: h))
        }
    }
}
