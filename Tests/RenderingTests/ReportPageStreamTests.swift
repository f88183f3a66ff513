import Foundation
import Pipeline
import Rendering
import Testing
import TestSupport

/// Issue 13, memory: `report` writes its page as it renders (`HTMLWriter(to:)`) instead of
/// building it as one string (a 21 MB page held twice that while it grew). The pieces must make
/// the very page the whole-string writer makes.
@Suite struct ReportPageStreamTests {
    @Test("the page handed on in pieces is the page built whole", arguments: ["captures/tls12-suites.pcap", "captures/spec-shared-line-udp.pcap"])
    func piecesMakeThePage(_ capture: String) throws {
        let data = try ReportData(capture: CaptureSource(path: Paths.root.appendingPathComponent(capture).path))
        let whole = ReportPage.render(data, path: capture, nonce: "n", version: "v")
        var pieces: [String] = []
        ReportPage.write(data, path: capture, nonce: "n", version: "v", chunk: 4096) { pieces.append($0) }
        #expect(pieces.joined() == whole)
        #expect(pieces.count > whole.utf8.count / 8192, "\(pieces.count) pieces for \(whole.utf8.count) bytes: not handed on as it renders")
        // Handed on once past the chunk, at the end of an element or a text.
        for piece in pieces.dropLast() {
            #expect(piece.utf8.count >= 4096, "a piece of \(piece.utf8.count) bytes")
        }
        #expect(whole.hasPrefix("<!DOCTYPE html>") && whole.hasSuffix("</body></html>\n"))
    }
}
