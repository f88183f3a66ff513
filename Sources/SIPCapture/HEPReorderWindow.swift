import Base
import Capture

/// Who mirrored a message: the capture agent's node ID and the address its HEP packets came from.
public struct HEPAgent: Hashable, Sendable, CustomStringConvertible {
    public var nodeID: UInt32?
    public var address: Endpoint

    public init(nodeID: UInt32?, address: Endpoint) {
        self.nodeID = nodeID
        self.address = address
    }

    public var description: String { "node \(nodeID.map(String.init) ?? "-") at \(address)" }
}

/// Messages mirrored by many agents, made into one ordered stream for the tracker. Agents batch, so
/// an answer can arrive before its request: each message waits `hold` seconds (of arrival time) and
/// leaves in the order of its original capture time. Two agents mirroring the same message (a PBX and
/// the proxy in front of it) deliver it twice: the copy is dropped and counted. A retransmission is
/// not a copy: from one agent, the n-th identical message is new when no other agent sent n yet.
/// Bounded: at most `maxHeld` messages wait (the oldest leave early past it), and fingerprints are
/// remembered `dedupeSpan` seconds, at most `maxFingerprints`.
public struct HEPReorderWindow<Item> {
    public let hold: Double
    public let maxHeld: Int
    public let dedupeSpan: Double
    public let maxFingerprints: Int

    /// The heap holds only the order (small, cheap to swap); the items wait beside it, in `slots`.
    private struct Held: Comparable {
        var time: Timestamp
        var sequence: Int
        var arrival: Timestamp
        var slot: Int
        static func < (a: Held, b: Held) -> Bool { (a.time, a.sequence) < (b.time, b.sequence) }
        static func == (a: Held, b: Held) -> Bool { a.time == b.time && a.sequence == b.sequence }
    }

    private var heap = MinHeap<Held>()
    /// The waiting items by slot; a slot freed is used again (no hashing per message).
    private var slots: [Item?] = []
    private var freeSlots: [Int] = []
    private var sequence = 0
    /// Per fingerprint: how many copies each agent delivered.
    private var copies: [Int: Copies] = [:]
    private var remembered: [(fingerprint: Int, arrival: Timestamp)] = []
    private var rememberedHead = 0
    /// How many entries `remembered` has dropped from its front: an entry's number is this plus its index.
    private var rememberedBase = 0
    private var lastReleased: Timestamp?

    /// Copies dropped because another agent delivered the same message.
    public private(set) var duplicates = 0
    /// Messages that left after a later one had (arrived past the window): passed on all the same.
    public private(set) var late = 0
    /// Messages that left before their hold because `maxHeld` were waiting.
    public private(set) var releasedEarly = 0
    public private(set) var peakHeld = 0

    public init(hold: Double = 0.2, maxHeld: Int = 100_000, dedupeSpan: Double = 2, maxFingerprints: Int = 200_000) {
        self.hold = hold
        self.maxHeld = maxHeld
        self.dedupeSpan = dedupeSpan
        self.maxFingerprints = maxFingerprints
    }

    public var held: Int { heap.count }

    /// The copies of one message, per agent. Nearly every message comes from one agent once: that
    /// agent is kept inline, and a dictionary is made only when a second agent sends it too. Agents
    /// are kept as a hash of who they are (`AgentID`): a fleet's two seconds of fingerprints are
    /// a hundred thousand of these, and a whole `HEPAgent` in each doubled their memory. The last
    /// copy is known by its entry's number in `remembered` (32 bits), not by its time (128).
    private struct Copies {
        var first: AgentID
        var firstCount: Int32
        var lastEntry: UInt32
        var others: [AgentID: Int32]?

        /// Counts a copy from `agent`: how many it has sent now, and the most any other agent has.
        mutating func count(_ agent: AgentID) -> (mine: Int, others: Int) {
            if agent == first {
                firstCount += 1
                return (Int(firstCount), Int(others?.values.max() ?? 0))
            }
            var table = others ?? [:]
            let mine = (table[agent] ?? 0) + 1
            table[agent] = mine
            others = table
            let rest = table.lazy.filter { $0.key != agent }.map(\.value).max() ?? 0
            return (Int(mine), Int(max(firstCount, rest)))
        }
    }

    /// An agent as 64 bits of its node ID and address (two agents meeting in 64 bits would count a
    /// copy as a retransmission: about one fleet in 10^15).
    private typealias AgentID = Int

    private static func id(_ agent: HEPAgent) -> AgentID {
        var h = Hasher()
        h.combine(agent)
        return h.finalize()
    }

    /// Takes a message; false when it is a copy of one another agent delivered (dropped, counted).
    /// `fingerprint`: a hash of what identifies the message (its bytes and original endpoints).
    @discardableResult
    public mutating func insert(_ item: Item, time: Timestamp, arrival: Timestamp, agent: HEPAgent, fingerprint: Int) -> Bool {
        forget(before: arrival)
        let mine: Int, others: Int
        let agent = Self.id(agent)
        let entry = UInt32(truncatingIfNeeded: rememberedBase + remembered.count)
        if let i = copies.index(forKey: fingerprint) {
            (mine, others) = copies.values[i].count(agent)
            copies.values[i].lastEntry = entry
        } else {
            (mine, others) = (1, 0)
            copies[fingerprint] = Copies(first: agent, firstCount: 1, lastEntry: entry, others: nil)
        }
        remembered.append((fingerprint, arrival))
        if mine <= others {
            duplicates += 1
            return false
        }
        sequence += 1
        let slot: Int
        if let free = freeSlots.popLast() { slot = free; slots[slot] = item } else { slot = slots.count; slots.append(item) }
        heap.insert(Held(time: time, sequence: sequence, arrival: arrival, slot: slot))
        peakHeld = max(peakHeld, heap.count)
        return true
    }

    /// The messages whose hold is over at `now`, in original-time order.
    public mutating func release(now: Timestamp) -> [Item] {
        var out: [Item] = []
        while let first = heap.min {
            let due = !(now < first.arrival.adding(seconds: hold))
            guard due || heap.count > maxHeld else { break }
            if !due { releasedEarly += 1 }
            out.append(take())
        }
        return out
    }

    /// Everything still held, in order (at stop).
    public mutating func drain() -> [Item] {
        var out: [Item] = []
        while !heap.isEmpty { out.append(take()) }
        return out
    }

    private mutating func take() -> Item {
        let h = heap.popMin()!
        if let last = lastReleased, h.time < last { late += 1 } else { lastReleased = h.time }
        var item: Item? = nil
        swap(&item, &slots[h.slot])
        freeSlots.append(h.slot)
        return item!
    }

    private mutating func forget(before arrival: Timestamp) {
        let oldest = arrival.adding(seconds: -dedupeSpan)
        while rememberedHead < remembered.count,
              remembered[rememberedHead].arrival < oldest || remembered.count - rememberedHead > maxFingerprints {
            let f = remembered[rememberedHead].fingerprint
            let overCapacity = remembered.count - rememberedHead > maxFingerprints
            let entry = UInt32(truncatingIfNeeded: rememberedBase + rememberedHead)
            rememberedHead += 1
            // A fingerprint's counts go with its last copy (or at once past the bound).
            if let i = copies.index(forKey: f), overCapacity || copies.values[i].lastEntry == entry { copies.remove(at: i) }
        }
        if rememberedHead > 4096, rememberedHead * 2 > remembered.count {
            remembered.removeFirst(rememberedHead)
            rememberedBase += rememberedHead
            rememberedHead = 0
        }
    }
}
