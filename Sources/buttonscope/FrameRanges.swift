import Pipeline
import Rendering
/// `12,15-18` (`export --frames`, `replay --select`): frame numbers as ranges, never expanded (a range may be huge).
struct FrameRanges {
    var ranges: [ClosedRange<Int>]

    /// Nil when the text is not a comma-separated list of N or N-M (1-based, N ≤ M).
    init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.trimmingSpaces.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
                  low >= 1, low <= high else { return nil }
            ranges.append(low...high)
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    func contains(_ frame: Int) -> Bool { ranges.contains { $0.contains(frame) } }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
