@testable import Buttons
import TestSupport

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
