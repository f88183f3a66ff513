@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// Issue 16, item 3: partial TCP messages are bounded in total, not only per stream. Many streams
/// each holding part of a large body exceed the budget; the oldest partial messages are given up
/// first, each reported with its frame, the total stays under the budget at every step, and the
/// messages after them are still read.
@Suite struct PartialMessageBudgetTests {
    @Test func oldestPartialMessagesAreGivenUpFirst() {
        let extractor = SIPMessageExtractor(ordered: true)
        extractor.maxPartialBytes = 1 << 20
        var messages: [CapturedMessage] = []
        var budgetFrames: [Int] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m):
                messages.append(m)
                if let d = m.diagnostics.first(where: { $0.code == "tcp-memory-budget" }) { budgetFrames.append(d.frame ?? -1) }
            case .diagnostic(let d): if d.code == "tcp-memory-budget" { budgetFrames.append(d.frame ?? -1) }
            case .unreachable: break
            }
        }
        // 40 streams, each a MESSAGE whose 200 000-byte body stops after 60 000 bytes: 2.4 MB held
        // without a budget.
        let streams = 40
        let head = bytes(sipMessage(callID: "partial", body: "", contentLength: "200000"))
        let chunk = [UInt8](repeating: 0x61, count: 1400)
        var frame = 0, maxFootprint = 0
        var firstFrame: [Int: Int] = [:]
        for s in 0..<streams {
            let src: [UInt8] = [10, 8, 0, UInt8(s)]
            var seq: UInt32 = 100
            var payload = head
            var sent = 0
            while sent < 60_000 {
                frame += 1
                if firstFrame[s] == nil { firstFrame[s] = frame }
                let piece = payload.isEmpty ? chunk : payload
                payload = []
                extractor.process(Build.frame(frame, Build.ethernet(Build.ipv4(src: src, proto: 6, Build.tcp(seq: seq, piece)))), emit: emit)
                seq &+= UInt32(piece.count)
                sent += piece.count
                maxFootprint = max(maxFootprint, extractor.framerFootprint)
            }
        }
        // The sentinel: a whole MESSAGE on a fresh stream, and one over UDP.
        frame += 1
        let whole = bytes(sipMessage(callID: "after-tcp", body: "k=7\r\nc=on\r\n"))
        extractor.process(Build.frame(frame, Build.ethernet(Build.ipv4(src: [10, 8, 1, 1], proto: 6, Build.tcp(seq: 5, whole)))), emit: emit)
        frame += 1
        let udp = bytes(sipMessage(callID: "after-udp", body: "k=7\r\nc=on\r\n"))
        extractor.process(Build.frame(frame, Build.ethernet(Build.ipv4(proto: 17, Build.udp(udp)))), emit: emit)
        extractor.finish(emit: emit)

        #expect(maxFootprint <= extractor.maxPartialBytes, "framers held \(maxFootprint) bytes")
        #expect(!budgetFrames.isEmpty)
        // Given up oldest first: the first report names the first stream's first frame.
        #expect(budgetFrames.first == firstFrame[0])
        #expect(budgetFrames == budgetFrames.sorted())
        let callIDs = messages.map { $0.message.callID ?? "?" }
        #expect(callIDs.contains("after-tcp") && callIDs.contains("after-udp"))
        #expect(messages.filter { $0.message.callID?.hasPrefix("after") == true }.allSatisfy { $0.diagnostics.isEmpty })
        #expect(extractor.framerFootprint == 0 && extractor.bufferedStreamBytes == 0)
    }

    /// Under the budget nothing changes: the same streams with a budget large enough end as
    /// incomplete messages at the end of the capture, none given up.
    @Test func underTheBudgetNothingIsGivenUp() {
        let extractor = SIPMessageExtractor(ordered: true)
        var codes: [String] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m): codes += m.diagnostics.map(\.code)
            case .diagnostic(let d): codes.append(d.code)
            case .unreachable: break
            }
        }
        let head = bytes(sipMessage(callID: "partial", body: "", contentLength: "200000")) + [UInt8](repeating: 0x61, count: 1000)
        for s in 0..<40 {
            extractor.process(Build.frame(s + 1, Build.ethernet(Build.ipv4(src: [10, 8, 0, UInt8(s)], proto: 6, Build.tcp(seq: 100, head)))), emit: emit)
        }
        extractor.finish(emit: emit)
        #expect(!codes.contains("tcp-memory-budget"))
        #expect(codes.filter { $0 == "message-incomplete" }.count == 40)
    }
}
