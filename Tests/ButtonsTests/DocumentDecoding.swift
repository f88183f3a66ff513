@testable import Buttons

/// The lines, each followed by `ending`.
func body(_ lines: [String], ending: String = "\r\n") -> [UInt8] {
    Array(lines.map { $0 + ending }.joined().utf8)
}

func decode(_ lines: [String], ending: String = "\r\n") -> ButtonsDocument {
    ButtonsDocument(decoding: body(lines, ending: ending))
}

func decode(_ text: String) -> ButtonsDocument {
    ButtonsDocument(decoding: Array(text.utf8))
}

extension ButtonsDocument {
    var codes: [String] { findings.map(\.code) }
    func finding(_ code: String) -> ButtonsFinding? { findings.first { $0.code == code } }
}

/// A tiny deterministic generator (SplitMix64) so property tests are repeatable.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
