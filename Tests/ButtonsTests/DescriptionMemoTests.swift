import Testing
@testable import Buttons
import TestSupport

/// A description block decoded once and found again by its bytes and line (`DescriptionMemo`)
/// must give exactly the document decoding gives without it, whatever came before.
@Suite struct DescriptionMemoTests {
    static let lights = ["on", "off", "hold", "pickup", "park", "message"]

    /// A panel of `keys` keys in the spec's form: "Each key description is separated by an
    /// empty line" (PROTOCOL.md), CRLF line endings, a state per key chosen by `random`.
    static func panel(_ keys: Int, _ random: inout SplitMix64, ending: String = "\r\n") -> [UInt8] {
        let parts = (1...keys).map { k in
            "k=\(k)\(ending)c=\(random.pick(lights))\(ending)l=Ext \(200 + k)\(ending)n=\(200 + k)\(ending)"
        }
        return Array(parts.joined(separator: ending).utf8)
    }

    @Test func aPanelSentAgainIsReadFromTheMemoAndReadTheSame() throws {
        var random = SplitMix64(seed: 7)
        var memo = DescriptionMemo()
        let body = Self.panel(12, &random)
        let first = ButtonsDocument(decoding: body, memo: &memo)
        #expect(memo.hits == 0)
        #expect(memo.count == 12)
        let again = ButtonsDocument(decoding: body, memo: &memo)
        #expect(memo.hits == 12)
        #expect(again == first)
        #expect(again == ButtonsDocument(decoding: body))
    }

    /// Panels with one key changed, blocks moved to other lines, bare LFs, a last line without
    /// its ending, a final CR, broken entries: with one memo for all, every document is the one
    /// decoded alone.
    @Test func withOrWithoutTheMemoEveryDocumentIsTheSame() {
        var random = SplitMix64(seed: 13)
        var memo = DescriptionMemo(capacity: 64)
        for round in 0..<3_000 {
            var body = Self.panel(1 + random.below(12), &random, ending: random.chance(10) ? "\n" : "\r\n")
            switch random.below(8) {
            case 0: body.removeLast(2)                        // the last line without its ending
            case 1: body.removeLast()                         // a final CR
            case 2: body = Array("k=9\r\nc=on\r\n\r\n".utf8) + body // every block a line further down
            case 3: body += Array("\r\nk=3\r\nq=x\r\n".utf8)   // an unknown letter: the long way
            case 4: body += Array("\r\nc=on\r\n".utf8)        // a description without k=
            default: break
            }
            let alone = ButtonsDocument(decoding: body)
            let remembered = ButtonsDocument(decoding: body, memo: &memo)
            #expect(remembered == alone, "round \(round): \(String(decoding: body, as: UTF8.self))")
            if remembered != alone { return }
        }
        #expect(memo.hits > 1_000, "the memo was used: \(memo.hits) hits")
        #expect(memo.count <= 64)
    }

    /// Hostile: ten thousand different blocks never make the memo hold more than it may, and a
    /// block past `maxBlockBytes` (a 60 KiB label) is decoded, not kept.
    @Test func theMemoStaysBounded() {
        var memo = DescriptionMemo(capacity: 100)
        for i in 0..<10_000 {
            _ = ButtonsDocument(decoding: Array("k=\(i)\r\nl=\(String(repeating: "x", count: i % 300))\r\n".utf8), memo: &memo)
            #expect(memo.count <= 100)
        }
        var fresh = DescriptionMemo()
        let huge = Array("k=1\r\nl=\(String(repeating: "y", count: 60_000))\r\n".utf8)
        let first = ButtonsDocument(decoding: huge, memo: &fresh)
        #expect(first.descriptions.count == 1)
        #expect(fresh.count == 0)
        #expect(ButtonsDocument(decoding: huge, memo: &fresh) == ButtonsDocument(decoding: huge))
    }
}
