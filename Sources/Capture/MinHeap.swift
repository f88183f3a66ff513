/// A binary min-heap: the smallest element in O(1), insert and remove-smallest in O(log n).
/// Out-of-order TCP segments wait in one, so a stream of reversed segments costs n log n, not n².
///
/// Inlinable: its users are in other modules, and a generic called across a module boundary runs
/// unspecialized (every comparison and swap through witness tables: a seventh of a collector's intake).
public struct MinHeap<Element: Comparable> {
    @usableFromInline var storage: [Element] = []

    @inlinable public init() {}

    @inlinable public var items: [Element] { storage }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    @inlinable public var count: Int { storage.count }
    @inlinable public var min: Element? { storage.first }

    @inlinable
    public mutating func insert(_ e: Element) {
        storage.append(e)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    @inlinable
    @discardableResult
    public mutating func popMin() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let smallest = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var least = parent
            if left < storage.count && storage[left] < storage[least] { least = left }
            if right < storage.count && storage[right] < storage[least] { least = right }
            if least == parent { break }
            storage.swapAt(parent, least)
            parent = least
        }
        return smallest
    }

    @inlinable public mutating func removeAll() { storage.removeAll() }
}
