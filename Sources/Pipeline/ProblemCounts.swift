import Base

/// Diagnostics counted by code as they stream by: a count, the worst severity, and the first
/// occurrence as the example. Bounded by the number of codes, not of occurrences.
public struct ProblemCounts {
    public struct Problem {
        public var code: String
        public var severity: Diagnostic.Severity
        public var count: Int
        public var frame: Int?
        public var message: String
    }

    public private(set) var byCode: [String: Problem] = [:]
    /// Codes in the order first seen.
    public private(set) var order: [String] = []

    public mutating func add(_ d: Diagnostic, frame: Int?) {
        add(Problem(code: d.code, severity: d.severity, count: 1, frame: frame, message: d.message))
    }

    /// Counts `p` (a tally of its own): the example stays the one seen first.
    public mutating func add(_ p: Problem) {
        if var known = byCode[p.code] {
            known.count += p.count
            if known.severity < p.severity { known.severity = p.severity }
            byCode[p.code] = known
        } else {
            byCode[p.code] = p
            order.append(p.code)
        }
    }

    /// Several tallies as one, the earlier ones' examples first.
    public static func merged(_ tallies: [ProblemCounts]) -> ProblemCounts {
        var all = ProblemCounts()
        for t in tallies { for code in t.order { if let p = t.byCode[code] { all.add(p) } } }
        return all
    }

    /// The worst and commonest first.
    public var ranked: [Problem] {
        order.compactMap { byCode[$0] }.sorted { a, b in
            a.severity != b.severity ? a.severity > b.severity : a.count > b.count
        }
    }
}
