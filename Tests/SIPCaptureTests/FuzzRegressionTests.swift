@testable import SIPCapture
import Foundation
import Testing
@testable import Capture
@testable import SIP
import TestSupport

/// Every input the fuzzers (scripts/fuzz) ever crashed on, kept under FuzzRegressions/ and replayed
/// the way the fuzz target reads it: as a capture file through the whole pipeline. Each must now be
/// read to the end without trapping.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions")

    static var captureInputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasPrefix("capture-") }.sorted()
    }

    @Test func theFolderIsNotEmpty() {
        #expect(!Self.captureInputs.isEmpty, "FuzzRegressions/ holds no capture-* inputs: the regression tests would test nothing")
    }

    @Test(arguments: captureInputs)
    func captureInputIsReadToTheEnd(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let reader = try CaptureReader(bytes: bytes, name: name)
        let extractor = SIPMessageExtractor(ordered: true, maxHeldOutputs: 16)
        var frames = 0
        while let frame = reader.next() {
            extractor.process(frame) { _ in }
            frames += 1
        }
        extractor.finish { _ in }
        #expect(extractor.statistics.frames == frames)
        #expect(extractor.bufferedStreamBytes == 0)
    }

    /// The first finding, reduced: a UDP header cut to 6 bytes (the IP length says so) used to make
    /// the decoder slice past the end of the datagram.
    @Test func udpHeaderShorterThanEightBytes() {
        let ip: [UInt8] = [0x45, 0, 0, 26, 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 44] + [0x13, 0xd8, 0x17, 0xac, 0, 10]
        guard case .datagram(let d) = IPDecoder.decode(NetworkPayload(kind: .ipv4, bytes: ip[...]), frame: 1, frameTruncated: false) else {
            Issue.record("the IPv4 header is whole: it must decode to a datagram")
            return
        }
        guard case .malformed = TransportDecoder.decode(d, frame: 1) else {
            Issue.record("a 6-byte UDP header must be reported malformed")
            return
        }
        // ICMP errors shorter than their 8-byte header likewise.
        var icmp = d
        icmp.transport = 1
        icmp.payload = [3, 3, 0, 0][...]
        guard case .other = TransportDecoder.decode(icmp, frame: 1) else {
            Issue.record("a 4-byte ICMP message must be left alone")
            return
        }
    }
}
