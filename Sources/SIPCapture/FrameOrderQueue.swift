/// Holds pipeline outputs briefly so they leave in frame order, with bounded memory.
///
/// Everything the extractor emits is at the current frame except what TCP streams were still
/// holding (a message finished by a later segment, or given up at a gap, idle timeout or the end):
/// those carry an earlier frame. So an item may leave once its frame is at or below the "low
/// water": the lowest frame of any byte still held by a stream. When more than `capacity` items
/// wait (a stream held a partial message for very long), the oldest leave anyway; a message
/// found later with an earlier frame then comes out of order and is counted in `lateItems`.
///
/// The heap orders small keys; the items stay in slots until they leave, so a sift moves three
/// integers, not a whole message.
struct FrameOrderQueue<Item> {
    private var heap: [(frame: Int, sequence: Int, slot: Int)] = []
    private var slots: [Item?] = []
    private var freeSlots: [Int] = []
    private var sequence = 0
    private(set) var lastReleased = 0
    private(set) var lateItems = 0
    var capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    mutating func insert(_ item: Item, frame: Int) {
        sequence += 1
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            slots[slot] = item
        } else {
            slot = slots.count
            slots.append(item)
        }
        heap.append((frame, sequence, slot))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    /// Hands out, in order, every item at or below `lowWater`, and the oldest beyond capacity.
    mutating func release(upTo lowWater: Int, _ body: (Item) -> Void) {
        while let top = heap.first, top.frame <= lowWater || heap.count > capacity {
            body(popMin(top))
        }
    }

    mutating func releaseAll(_ body: (Item) -> Void) {
        while let top = heap.first { body(popMin(top)) }
    }

    private mutating func popMin(_ top: (frame: Int, sequence: Int, slot: Int)) -> Item {
        if top.frame < lastReleased { lateItems += 1 }
        lastReleased = max(lastReleased, top.frame)
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(l, m) { m = l }
                if r < heap.count && less(r, m) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        var item: Item? = nil
        swap(&item, &slots[top.slot])
        freeSlots.append(top.slot)
        return item!
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        (heap[a].frame, heap[a].sequence) < (heap[b].frame, heap[b].sequence)
    }
}
