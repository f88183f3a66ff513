import Foundation
import Rendering
import Testing

/// JSONValue writes what scripts read: any string round-trips through a JSON parser, and the
/// characters that break or reorder a viewer (controls, C1, separators, bidi) never appear raw.
@Suite struct JSONValueTests {
    static let awkward: [Unicode.Scalar] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1b}", "\u{7f}", "\u{85}", "\u{9f}",
                                             "\u{a0}", "\u{2028}", "\u{2029}", "\u{202e}", "\u{2066}", "\u{2069}", "\u{2027}",
                                             "\u{20ac}", "é", "k", "=", " ", "😀"]

    static func parsed(_ s: String) throws -> String {
        let line = JSONValue.array([.string(s)]).rendered
        let any = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require((any as? [String])?.first)
    }

    @Test func everyStringRoundTripsThroughAParser() throws {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(g.next() % 24) { s.append(Self.awkward[Int(g.next() % UInt64(Self.awkward.count))]) }
            let text = String(s)
            #expect(try Self.parsed(text) == text, "\(Array(text.unicodeScalars))")
        }
    }

    @Test func viewerBreakingCharactersAreEscaped() {
        let line = JSONValue.string("a\u{1b}b\u{85}c\u{2028}d\u{202e}e\u{7f}").rendered
        for raw in ["\u{1b}", "\u{85}", "\u{2028}", "\u{202e}", "\u{7f}"] { #expect(!line.contains(raw), "\(line)") }
        #expect(line == #""a\u001bb\u0085c\u2028d\u202ee\u007f""#)
        // Plain text, the Euro sign and a no-break space stay as they are.
        #expect(JSONValue.string("Büro €\u{a0}1").rendered == "\"Büro €\u{a0}1\"")
    }

    @Test func integersAreWrittenAsSwiftPrintsThem() {
        for i in [0, 1, -1, 9, 10, 99, 100, 65_535, -40_000, 1_700_000_000, Int.max, Int.min] {
            #expect(JSONValue.int(i).rendered == String(i))
        }
    }
}
