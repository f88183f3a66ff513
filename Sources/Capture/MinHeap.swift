/// A binary min-heap: the smallest element in O(1), insert and remove-smallest in O(log n).
/// Out-of-order TCP segments wait in one, so a stream of reversed segments costs n log n, not n².
public struct MinHeap<Element: Comparable> {
    public private(set) var items: [Element] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    public var min: Element? { items.first }

    public mutating func insert(_ e: Element) {
        items.append(e)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    public mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let smallest = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var least = parent
            if left < items.count && items[left] < items[least] { least = left }
            if right < items.count && items[right] < items[least] { least = right }
            if least == parent { break }
            items.swapAt(parent, least)
            parent = least
        }
        return smallest
    }

    public mutating func removeAll() { items.removeAll() }
}
