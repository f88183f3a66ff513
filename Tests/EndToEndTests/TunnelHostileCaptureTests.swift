import Foundation
import Testing
import TestSupport

/// Tunnel bombs through the real CLI, with the checks every hostile capture shares
/// (`HostileCaptureTests.check`: exit 0, the diagnostic, peak memory under the bound, the normal
/// MESSAGE after it read and applied).
@Suite(.serialized) struct TunnelHostileCaptureTests {
    @Test func thousandNestedGRELayersInEveryFrame() throws {
        let start = Date()
        guard let run = try HostileCaptureTests().check(HostileCapture.nestedGRE(), "gre-1000", expecting: "tunnel-too-deep") else { return }
        #expect(Date().timeIntervalSince(start) < 20, "200 frames of 1,000 GRE layers must not take long")
        #expect(!run.records.contains { $0["call_id"] as? String == "buried" })
    }

    @Test func tunnelChainsThatNeverEnd() throws {
        guard let run = try HostileCaptureTests().check(HostileCapture.tunnelChainsThatNeverEnd(), "tunnel-chains", expecting: "tunnel-malformed") else { return }
        for what in ["MPLS label stack", "GTP-U extension headers", "Geneve options", "GRE routing entries"] {
            #expect(run.stderr.contains(what), "no report of the \(what)")
        }
    }
}
