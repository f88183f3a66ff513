import Testing
@testable import Buttons
import TestSupport

@Suite struct HostileInputTests {
    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 42)
        let interesting: [UInt8] = [0x0D, 0x0A, 0x3D, 0x20, 0x09, 0x00, 0x6B, 0x63, 0xC3, 0xFF, 0x80]
        for _ in 0..<2000 {
            let count = random.below(300)
            let bytes = (0..<count).map { _ in
                random.chance(50) ? random.pick(interesting) : UInt8(truncatingIfNeeded: random.next())
            }
            let document = ButtonsDocument(decoding: bytes)
            #expect(document.findings.count <= ButtonsDecoder.findingLimit + 1)
            for finding in document.findings {
                if let line = finding.line { #expect(line >= 1 && line <= document.lineCount) }
                #expect(finding.diagnostic.frame == nil)
            }
            for description in document.descriptions {
                #expect(!description.entries.isEmpty)
            }
            _ = ButtonsDocument.looksLikeButtons(bytes)
        }
    }

    @Test func megabyteLine() {
        let bytes = Array("k=".utf8) + Array(repeating: UInt8(ascii: "a"), count: 1 << 20)
        let document = ButtonsDocument(decoding: bytes)
        #expect(document.keys.first?.utf8.count == 1 << 20)
        // Issue 15: the line has no line end ("a CRLF combination is the clear indication that the line ends").
        #expect(document.codes == ["missing-line-end"])

        // A light is an enumeration, so ` c=` inside it stays an error (in a label it is text: a warning).
        let packed = Array("k=1\r\nc=".utf8) + Array(repeating: UInt8(ascii: " "), count: 1 << 20) + Array(" c=on\r\n".utf8)
        let packedDocument = ButtonsDocument(decoding: packed)
        #expect(packedDocument.codes == ["entries-on-one-line"])
        // Messages quote values, but never whole.
        #expect(packedDocument.findings.allSatisfy { $0.message.utf8.count < 1000 })
    }

    @Test func megabyteOfNULs() {
        let document = ButtonsDocument(decoding: Array(repeating: 0, count: 1 << 20))
        #expect(document.codes == ["forbidden-character", "invalid-entry", "missing-line-end"])
        #expect(document.findings.allSatisfy { $0.message.utf8.count < 1000 })
        #expect(document.descriptions.isEmpty)
    }

    @Test func megabyteOfEmptyLines() {
        let document = ButtonsDocument(decoding: Array(repeating: 0x0A, count: 1 << 20))
        #expect(document.codes == ["empty-document"])
    }

    @Test func manyDescriptions() {
        let bytes = Array(String(repeating: "k=1\r\nc=on\r\n\r\n", count: 20_000).utf8)
        let document = ButtonsDocument(decoding: bytes)
        #expect(document.descriptions.count == 20_000)
        #expect(document.findings.isEmpty)
    }

    @Test func truncatedMultiByteCharacterAtTheEnd() {
        let document = ButtonsDocument(decoding: Array("k=1\r\nl=日".utf8).dropLast())
        #expect(document.codes == ["invalid-utf8", "missing-line-end"])
        #expect(document.descriptions[0].state.label == "\u{FFFD}")
    }
}
