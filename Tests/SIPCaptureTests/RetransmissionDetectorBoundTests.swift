import Base
import Capture
import SIP
import SIPCapture
import Testing
import TestSupport

/// "Never grow without bound": the detector's window is in time (40 s), so at a fleet's rate it held
/// over a million keys. It now keeps at most `maxKeys`, the newest, and counts what it let go early.
@Suite struct RetransmissionDetectorBoundTests {
    static func message(_ n: Int, at seconds: Double) -> CapturedMessage {
        let text = sipMessage(callID: "call-\(n)", branch: "z9hG4bK-\(n)")
        let head = SIPHeaderParser.parse(Array(text.utf8))!
        let whole = seconds.rounded(.down)
        return CapturedMessage(message: head, frame: n, frames: [n],
                               time: Timestamp(seconds: Int64(whole), nanoseconds: Int64(((seconds - whole) * 1e9).rounded())),
                               transport: .udp, source: epA, destination: epB,
                               isTruncatedByCapture: false, diagnostics: [], effectiveBody: [])
    }

    @Test func aFleetRateStaysWithinTheBound() {
        var d = RetransmissionDetector(window: 40, maxKeys: 1_000)
        // 20,000 new requests in 2 s: all well within the 40 s window.
        for n in 0..<20_000 {
            let repeated = d.isRetransmission(Self.message(n, at: 100 + Double(n) / 10_000))
            #expect(!repeated)
            #expect(d.count <= 1_000)
        }
        #expect(d.forgottenEarly >= 19_000)
        // The newest are still known: a copy of the last one is a retransmission.
        let last = d.isRetransmission(Self.message(19_999, at: 102))
        #expect(last)
    }

    @Test func underTheBoundNothingIsForgottenEarly() {
        var d = RetransmissionDetector(window: 40, maxKeys: 1_000)
        for n in 0..<900 { _ = d.isRetransmission(Self.message(n, at: 100 + Double(n) / 100)) }
        // Every one of them, even the oldest (9 s ago), is still recognised.
        for n in stride(from: 0, to: 900, by: 97) {
            let repeated = d.isRetransmission(Self.message(n, at: 110))
            #expect(repeated, "message \(n)")
        }
        #expect(d.forgottenEarly == 0)
    }

    @Test func aBurstInOneInstantStillKeepsTheBound() {
        var d = RetransmissionDetector(window: 40, maxKeys: 100)
        for n in 0..<1_000 { _ = d.isRetransmission(Self.message(n, at: 100)) }
        #expect(d.count <= 100)
    }
}
