import TLSKeys
@testable import SIPCapture
import Foundation
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// Issue 11, hostile input: what the TLS connections hold is bounded in total, not only per
/// connection. Hundreds of connections each holding a partial record (a header claiming
/// 2^14 + 2048 bytes), handshake messages claiming 200 KB (under the per-message limit) or 16 MB,
/// record lengths past 2^14 + 2048: past the budget the least recently active connections give
/// up what they hold, each reported, the total stays under the budget after every packet, and a
/// real TLS 1.3 connection around the flood (OpenSSL, captures/tls-keys/) is still read whole.
@Suite struct TLSMemoryBudgetTests {
    static let root = Paths.root

    /// The frames of captures/tls-keys/sip-tls13.pcap and its key log.
    static func realConnection() throws -> (frames: [CapturedFrame], secrets: TLSSecrets) {
        let reader = try CaptureReader(path: root.appendingPathComponent("captures/tls-keys/sip-tls13.pcap").path)
        var frames: [CapturedFrame] = []
        while let f = reader.next() { frames.append(f) }
        var secrets = TLSSecrets()
        _ = secrets.addKeyLog(try String(contentsOf: root.appendingPathComponent("captures/tls-keys/sip-tls13.keys"), encoding: .utf8))
        return (frames, secrets)
    }

    /// One TCP segment of hostile connection `n` (client 10.9.x.y:40000 → 10.0.0.2:5061).
    static func segment(_ number: Int, connection n: Int, seq: UInt32, _ payload: [UInt8]) -> CapturedFrame {
        let src: [UInt8] = [10, 9, UInt8(n >> 8), UInt8(n & 0xff)]
        return Build.frame(number, Build.ethernet(Build.ipv4(src: src, proto: 6, Build.tcp(sport: 40000, dport: 5061, seq: seq, payload))))
    }

    @Test func connectionsGiveUpWhatTheyHoldPastTheBudgetAndTheRealOneIsRead() throws {
        let (real, secrets) = try Self.realConnection()
        let extractor = SIPMessageExtractor(ordered: true, tlsSecrets: secrets)
        extractor.maxTLSHeldBytes = 1 << 20
        var messages: [CapturedMessage] = []
        var diagnostics: [Diagnostic] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m): messages.append(m)
            case .diagnostic(let d): diagnostics.append(d)
            case .unreachable: break
            }
        }
        var number = 0, maxFootprint = 0
        func feed(_ f: CapturedFrame) {
            number += 1
            extractor.process(CapturedFrame(number: number, timestamp: f.timestamp, linkType: f.linkType, bytes: f.bytes,
                                            originalLength: f.originalLength), emit: emit)
            maxFootprint = max(maxFootprint, extractor.tlsFootprint)
        }
        // The real connection up to its REGISTER (frame 10: whole records only).
        for f in real.prefix(10) { feed(f) }
        // 200 connections each holding 16 000 bytes of a record that claims 18 432 (2^14 + 2048).
        var lastFrameOf: [Int: Int] = [:]
        for n in 0..<200 {
            feed(Self.segment(0, connection: n, seq: 1, [0x16, 3, 3, 0x48, 0x00] + [UInt8](repeating: 1, count: 16_000)))
            lastFrameOf[n] = number
        }
        // 10 connections sending whole records of a handshake message that claims 200 000 bytes
        // (kept: under the 256 KiB a handshake message may have), 12 records of 16 000 bytes each.
        for n in 200..<210 {
            var seq: UInt32 = 1
            let first = TLSFraming.record(22, [1, 0x03, 0x0d, 0x40] + [UInt8](repeating: 2, count: 15_996))
            feed(Self.segment(0, connection: n, seq: seq, first))
            seq += UInt32(first.count)
            for _ in 0..<11 {
                let more = TLSFraming.record(22, [UInt8](repeating: 3, count: 16_000))
                feed(Self.segment(0, connection: n, seq: seq, more))
                seq += UInt32(more.count)
            }
        }
        // A handshake message claiming 16 MB, and records claiming 2^16 - 1 bytes (no record).
        feed(Self.segment(0, connection: 300, seq: 1, TLSFraming.record(22, [1, 0xff, 0xff, 0xff] + [UInt8](repeating: 4, count: 16_000))))
        feed(Self.segment(0, connection: 301, seq: 1, [0x16, 3, 3, 0xff, 0xff] + [UInt8](repeating: 5, count: 16_000)))
        // The rest of the real connection.
        for f in real.dropFirst(10) { feed(f) }
        extractor.finish(emit: emit)

        #expect(maxFootprint <= extractor.maxTLSHeldBytes, "TLS connections held \(maxFootprint) bytes")
        let budget = diagnostics.filter { $0.code == "tls-memory-budget" }
        #expect(budget.count >= 100, "\(budget.count) connections gave up")
        // The least recently active first: the first hostile connection's frame, in order.
        #expect(budget.first?.frame == lastFrameOf[0])
        #expect(budget.compactMap(\.frame) == budget.compactMap(\.frame).sorted())
        #expect(budget.first?.message.contains("TLS connections (") == true && budget.first?.message.contains("held more than 1 MiB in all") == true,
                "\(budget.first?.message ?? "")")
        // The real connection, followed across the flood: its six messages, none damaged.
        let real6 = messages.filter { $0.source.description.hasPrefix("127.0.5.") }
        #expect(real6.count == 6, "\(messages.count) messages, \(diagnostics.map(\.code))")
        #expect(real6.allSatisfy { $0.transport == .tls && $0.diagnostics.isEmpty })
        #expect(real6.map { $0.message.callID ?? "?" }.contains("msg3-tls@127.0.5.1"))
        #expect(extractor.tlsFootprint == 0)
    }

    /// Under the budget nothing is given up: the same partial records end with the capture.
    @Test func underTheBudgetNothingIsGivenUp() throws {
        let extractor = SIPMessageExtractor(ordered: true)
        var codes: [String] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { out in
            if case .diagnostic(let d) = out { codes.append(d.code) }
        }
        for n in 0..<40 {
            extractor.process(Self.segment(n + 1, connection: n, seq: 1, [0x16, 3, 3, 0x48, 0x00] + [UInt8](repeating: 1, count: 16_000)), emit: emit)
        }
        #expect(extractor.tlsFootprint >= 40 * 16_000)
        extractor.finish(emit: emit)
        #expect(!codes.contains("tls-memory-budget"))
        #expect(extractor.tlsFootprint == 0)
    }
}
