import Base
import Testing
@testable import Capture
import TestSupport

@Suite struct IPDefragmenterTests {
    /// A 24-byte UDP datagram (header + 16 payload bytes) cut into three 8-byte fragments.
    let whole = Build.udp(sport: 5060, dport: 5060, Array(bytes("ABCDEFGHIJKLMNOP")))
    var pieces: [[UInt8]] { [Array(whole[0..<8]), Array(whole[8..<16]), Array(whole[16..<24])] }

    func frag(_ i: Int, id: UInt16 = 1, data: [UInt8]? = nil, last: Bool? = nil, offset: Int? = nil) -> IPFragment {
        let isLast = last ?? (i == 2)
        let packet = Build.ipv4(proto: 17, id: id, moreFragments: !isLast, offset: offset ?? i * 8, data ?? pieces[i])
        guard case .fragment(let f) = ipDecode(packet) else { fatalError("builder made no fragment") }
        return f
    }

    func t(_ s: Int64) -> Timestamp { Timestamp(seconds: s, nanoseconds: 0) }

    @Test func inOrder() throws {
        var d = IPDefragmenter()
        do { let r = d.add(frag(0), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(1), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        let got = d.add(frag(2), frame: 3, time: t(0), ipv6: false)
        let out = try #require(got)
        #expect(Array(out.payload) == whole)
        #expect(out.frames.sorted() == [1, 2, 3])
        #expect(out.transport == 17)
        #expect(out.declaredLength == 24)
        #expect(d.pendingCount == 0)
        #expect(d.diagnostics.isEmpty)
    }

    @Test func outOfOrder312() throws {
        var d = IPDefragmenter()
        do { let r = d.add(frag(2), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(0), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        let got = d.add(frag(1), frame: 3, time: t(0), ipv6: false)
        let out = try #require(got)
        #expect(Array(out.payload) == whole)
        #expect(out.frames.sorted() == [1, 2, 3])
        guard case .udp(let u) = TransportDecoder.decode(out, frame: 3) else { Issue.record("not UDP"); return }
        #expect(u.payload.text == "ABCDEFGHIJKLMNOP")
    }

    @Test func duplicateFragment() throws {
        var d = IPDefragmenter()
        do { let r = d.add(frag(0), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(0), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(1), frame: 3, time: t(0), ipv6: false); #expect(r == nil) }
        let got = d.add(frag(2), frame: 4, time: t(0), ipv6: false)
        let out = try #require(got)
        #expect(Array(out.payload) == whole)
        #expect(d.diagnostics.isEmpty)
    }

    @Test func overlapKeepsTheBytesCapturedFirst() throws {
        var d = IPDefragmenter()
        // Fragment 1 first, then a fragment covering 8..<24 with different bytes in 8..<16.
        do { let r = d.add(frag(1), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(0), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        let rival = [UInt8](repeating: 0x7a, count: 8) + pieces[2]
        let got = d.add(frag(1, data: rival, last: true), frame: 3, time: t(0), ipv6: false)
        let out = try #require(got)
        #expect(Array(out.payload) == whole)
        let codes = d.takeDiagnostics()
        #expect(codes.map(\.code) == ["ip-fragment-overlap"])
        #expect(codes.first?.frame == 3)
        #expect(d.diagnostics.isEmpty)
    }

    @Test func overlapTheOtherWayRound() throws {
        var d = IPDefragmenter()
        let rival = [UInt8](repeating: 0x7a, count: 8) + pieces[2]
        do { let r = d.add(frag(1, data: rival, last: true), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(1), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        let got = d.add(frag(0), frame: 3, time: t(0), ipv6: false)
        let out = try #require(got)
        #expect(Array(out.payload) == pieces[0] + rival)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-overlap"])
    }

    @Test func neverCompletedIsReportedAtFinish() {
        var d = IPDefragmenter()
        do { let r = d.add(frag(0), frame: 5, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(2), frame: 6, time: t(0), ipv6: false); #expect(r == nil) }
        #expect(d.pendingCount == 1)
        d.finish()
        #expect(d.pendingCount == 0)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-incomplete"])
        #expect(d.diagnostics.first?.frame == 5)
    }

    @Test func neverCompletedExpiresAfterTheTimeout() {
        var d = IPDefragmenter(timeout: 30)
        do { let r = d.add(frag(0), frame: 1, time: t(100), ipv6: false); #expect(r == nil) }
        d.expire(now: t(129))
        #expect(d.pendingCount == 1)
        #expect(d.diagnostics.isEmpty)
        d.expire(now: t(131))
        #expect(d.pendingCount == 0)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-incomplete"])
        // The late sibling starts a new, lone datagram instead of completing the dropped one.
        do { let r = d.add(frag(1), frame: 9, time: t(131), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(2), frame: 10, time: t(131), ipv6: false); #expect(r == nil) }
    }

    @Test func maxDatagramsEvictsTheOldest() throws {
        var d = IPDefragmenter(maxDatagrams: 2)
        do { let r = d.add(frag(0, id: 1), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(0, id: 2), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        #expect(d.diagnostics.isEmpty)
        do { let r = d.add(frag(0, id: 3), frame: 3, time: t(0), ipv6: false); #expect(r == nil) }
        #expect(d.pendingCount == 2)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-incomplete"])
        #expect(d.diagnostics.first?.frame == 1)
        // Datagram 2 survived and can still complete.
        do { let r = d.add(frag(1, id: 2), frame: 4, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(2, id: 2), frame: 5, time: t(0), ipv6: false); #expect(r != nil) }
    }

    @Test func maxBytesHeldEvictsTheOldest() {
        var d = IPDefragmenter(maxBytesHeld: 20)
        do { let r = d.add(frag(0, id: 1), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        do { let r = d.add(frag(1, id: 1), frame: 2, time: t(0), ipv6: false); #expect(r == nil) }   // 16 bytes held
        do { let r = d.add(frag(0, id: 2), frame: 3, time: t(0), ipv6: false); #expect(r == nil) }   // 24 > 20: datagram 1 goes
        #expect(d.pendingCount == 1)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-incomplete"])
        #expect(d.diagnostics.first?.frame == 1)
        do { let r = d.add(frag(2, id: 1), frame: 4, time: t(0), ipv6: false); #expect(r == nil) }   // too late for datagram 1
    }

    @Test func fragmentBeyond65535IsOversize() {
        var d = IPDefragmenter()
        do { let r = d.add(frag(0), frame: 1, time: t(0), ipv6: false); #expect(r == nil) }
        let huge = frag(2, data: [UInt8](repeating: 0, count: 100), offset: 8191 * 8)
        do { let r = d.add(huge, frame: 2, time: t(0), ipv6: false); #expect(r == nil) }
        #expect(d.pendingCount == 0)
        #expect(d.diagnostics.map(\.code) == ["ip-fragment-oversize"])
        #expect(d.diagnostics.first?.frame == 1)
    }

    @Test func ipv6ReassemblySkipsExtensionHeadersAfterTheFragmentHeader() throws {
        let udp = Build.udp(bytes("IPv6 fragmented SIP"))
        let rebuilt = Build.ipv6Options(next: 17) + udp  // destination options after the fragment header
        let split = 16
        let first = Build.ipv6(next: 44, Build.ipv6Fragment(next: 60, offset: 0, more: true, id: 42) + Array(rebuilt[0..<split]))
        let second = Build.ipv6(next: 44, Build.ipv6Fragment(next: 60, offset: split, more: false, id: 42) + Array(rebuilt[split...]))
        guard case .fragment(let f1) = ipDecode(first, v6: true), case .fragment(let f2) = ipDecode(second, v6: true) else {
            Issue.record("not fragments"); return
        }
        var d = IPDefragmenter()
        do { let r = d.add(f2, frame: 1, time: t(0), ipv6: true); #expect(r == nil) }
        let got = d.add(f1, frame: 2, time: t(0), ipv6: true)
        let out = try #require(got)
        #expect(out.transport == 17)
        #expect(Array(out.payload) == udp)
        #expect(out.declaredLength == udp.count)
        guard case .udp(let u) = TransportDecoder.decode(out, frame: 2) else { Issue.record("not UDP"); return }
        #expect(u.payload.text == "IPv6 fragmented SIP")
    }
}
