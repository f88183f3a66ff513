@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// HEP3 from a collector's point of view: agents with their own node IDs and clocks.
enum FleetHEP {
    static func hep3(_ payload: [UInt8], node: UInt32, seconds: UInt32 = 1_700_000_100, micros: UInt32 = 0,
                     source: [UInt8] = [10, 9, 0, 1], destination: [UInt8] = [10, 9, 0, 2]) -> [UInt8] {
        HEPPacket.v3(payload, source: source, destination: destination, seconds: seconds, micros: micros, node: node)
    }

    static let agentA = Endpoint(address: IPAddress([127, 0, 23, 11]), port: 40001)
    static let agentB = Endpoint(address: IPAddress([127, 0, 23, 12]), port: 40002)
    static let t0 = Timestamp(seconds: 1_800_000_000, nanoseconds: 0)
}

@Suite struct HEPReorderWindowTests {
    let a = HEPAgent(nodeID: 1, address: FleetHEP.agentA)
    let b = HEPAgent(nodeID: 2, address: FleetHEP.agentB)
    func t(_ ms: Int) -> Timestamp { FleetHEP.t0.adding(seconds: Double(ms) / 1000) }

    @Test func answersBeforeTheirRequestsLeaveInCaptureOrder() {
        var w = HEPReorderWindow<String>(hold: 0.2)
        w.insert("200", time: t(10), arrival: t(1000), agent: a, fingerprint: 2)
        w.insert("MESSAGE", time: t(5), arrival: t(1050), agent: b, fingerprint: 1)
        #expect(w.release(now: t(1100)).isEmpty)  // both still within their hold
        #expect(w.release(now: t(1260)) == ["MESSAGE", "200"])
        #expect(w.late == 0 && w.held == 0)
    }

    @Test func aCopyFromAnotherAgentIsDroppedAndCounted() {
        var w = HEPReorderWindow<String>(hold: 0.2)
        #expect(w.insert("from a", time: t(5), arrival: t(1000), agent: a, fingerprint: 7) == true)
        #expect(w.insert("from b", time: t(6), arrival: t(1010), agent: b, fingerprint: 7) == false)
        #expect(w.duplicates == 1)
        #expect(w.drain() == ["from a"])
    }

    @Test func aRetransmissionFromOneAgentIsNotACopy() {
        var w = HEPReorderWindow<String>(hold: 0.2)
        // Agent a saw the MESSAGE and its retransmission; agent b mirrored both as well.
        #expect(w.insert("a1", time: t(0), arrival: t(1000), agent: a, fingerprint: 9) == true)
        #expect(w.insert("a2", time: t(500), arrival: t(1500), agent: a, fingerprint: 9) == true)
        #expect(w.insert("b1", time: t(1), arrival: t(1600), agent: b, fingerprint: 9) == false)
        #expect(w.insert("b2", time: t(501), arrival: t(1601), agent: b, fingerprint: 9) == false)
        #expect(w.duplicates == 2)
        #expect(w.drain() == ["a1", "a2"])
    }

    @Test func copiesAreForgottenAfterTheSpan() {
        var w = HEPReorderWindow<String>(hold: 0.2, dedupeSpan: 2)
        #expect(w.insert("first", time: t(0), arrival: t(0), agent: a, fingerprint: 3) == true)
        // Five seconds later the same bytes from b: a new message (for example a new dialog's re-send).
        #expect(w.insert("again", time: t(5000), arrival: t(5000), agent: b, fingerprint: 3) == true)
        #expect(w.duplicates == 0)
    }

    @Test func boundedHeldMessagesLeaveEarlyInOrder() {
        var w = HEPReorderWindow<Int>(hold: 10, maxHeld: 100)
        for i in 0..<1000 { w.insert(i, time: t(1000 - i), arrival: t(0), agent: a, fingerprint: i) }
        let out = w.release(now: t(1))
        #expect(out.count == 900 && w.releasedEarly == 900 && w.held == 100 && out == out.sorted(by: >))
        let rest = w.drain()
        #expect(rest.count == 100 && rest == rest.sorted(by: >) && rest.first! < out.last!)
    }

    @Test func fingerprintMemoryIsBounded() {
        var w = HEPReorderWindow<Int>(hold: 0, dedupeSpan: 1000, maxFingerprints: 500)
        for i in 0..<5000 {
            w.insert(i, time: t(i), arrival: t(i), agent: a, fingerprint: i)
            _ = w.release(now: t(i))
        }
        // The oldest fingerprints were let go: the same bytes from b count as new, not as a copy.
        #expect(w.insert(-1, time: t(5000), arrival: t(5000), agent: b, fingerprint: 0) == true)
    }
}

@Suite struct HEPCollectorTests {
    let now = FleetHEP.t0

    func collect(_ feed: (inout HEPCollector, (Diagnostic) -> Void) -> Void) -> (messages: [HEPCollector.Released], diagnostics: [Diagnostic], collector: HEPCollector) {
        var c = HEPCollector()
        var diagnostics: [Diagnostic] = []
        feed(&c) { diagnostics.append($0) }
        let out = c.finish(now: now.adding(seconds: 5)) { diagnostics.append($0) }
        return (out, diagnostics, c)
    }

    @Test func eachMessageKeepsItsOriginalEndpointsTimeAndAgent() throws {
        let r = collect { c, d in
            c.receive(datagram: FleetHEP.hep3(bytes(sipMessage(callID: "x1")), node: 2001, micros: 250_000), from: FleetHEP.agentA, arrival: now, diagnose: d)
        }
        let m = try #require(r.messages.first)
        #expect(m.message.source.description == "10.9.0.1:5060" && m.message.destination.description == "10.9.0.2:5062")
        #expect(m.message.time == Timestamp(seconds: 1_700_000_100, nanoseconds: 250_000_000))
        #expect(m.agent == HEPAgent(nodeID: 2001, address: FleetHEP.agentA))
        #expect(m.message.hep?.agent == FleetHEP.agentA && m.message.frame == 1)
        #expect(r.diagnostics.isEmpty)
    }

    @Test func twoAgentsMirroringTheSameMessageGiveItOnce() {
        let sip = bytes(sipMessage(callID: "dup"))
        let r = collect { c, d in
            c.receive(datagram: FleetHEP.hep3(sip, node: 1), from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: FleetHEP.hep3(sip, node: 2, micros: 300), from: FleetHEP.agentB, arrival: now, diagnose: d)
        }
        #expect(r.messages.count == 1 && r.collector.duplicates == 1)
        #expect(r.messages.first?.agent.nodeID == 1)
    }

    @Test func anAnswerBeforeItsRequestIsPutBehindIt() {
        let r = collect { c, d in
            c.receive(datagram: FleetHEP.hep3(bytes(sipResponse(callID: "ro")), node: 1, micros: 900), from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: FleetHEP.hep3(bytes(sipMessage(callID: "ro")), node: 2, micros: 100), from: FleetHEP.agentB, arrival: now, diagnose: d)
        }
        #expect(r.messages.map { $0.message.message.isRequest } == [true, false])
        #expect(r.messages.map(\.message.frame) == [1, 2])
    }

    /// Hostile agents: garbage, a truncated chunk, a length past the datagram; each says so and the
    /// next good packet is read.
    @Test func hostileDatagramsThenAGoodOne() {
        let good = FleetHEP.hep3(bytes(sipMessage(callID: "good")), node: 7)
        var pastDatagram = FleetHEP.hep3(bytes(sipMessage(callID: "never")), node: 7)
        pastDatagram.replaceSubrange(4..<6, with: be16(UInt16(pastDatagram.count + 40)))  // total length past the datagram's end
        let r = collect { c, d in
            c.receive(datagram: Array("garbage that is no HEP at all".utf8), from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: [0x48, 0x45, 0x50, 0x33, 0, 2], from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: pastDatagram, from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: good, from: FleetHEP.agentA, arrival: now, diagnose: d)
        }
        let codes = r.diagnostics.map(\.code)
        #expect(codes.contains("hep-not-hep") && codes.contains("hep-bad-length") && codes.contains("hep-length-past-packet"))
        #expect(r.messages.map(\.message.message.callID) == ["good"])
        #expect(r.collector.unreadPackets == 3)
    }

    @Test func aChunkLongerThanThePacketIsReportedAndTheNextPacketRead() {
        let sip = bytes(sipMessage(callID: "cut"))
        var cut = FleetHEP.hep3(sip, node: 7)
        // The payload chunk (type 15) is last: its length field sits 6 + payload bytes from the end.
        let lengthAt = cut.count - sip.count - 2
        cut[lengthAt] = 0xff
        let r = collect { c, d in
            c.receive(datagram: cut, from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: FleetHEP.hep3(bytes(sipMessage(callID: "after")), node: 7), from: FleetHEP.agentA, arrival: now, diagnose: d)
        }
        #expect(r.diagnostics.map(\.code).contains("hep-chunk-length"))
        #expect(r.messages.map(\.message.message.callID) == ["after"])
    }

    @Test func hepOverTCPSplitAcrossSegmentsAndGarbageBetween() {
        let one = FleetHEP.hep3(bytes(sipMessage(callID: "t1")), node: 3, micros: 1)
        let two = FleetHEP.hep3(bytes(sipMessage(callID: "t2")), node: 3, micros: 2)
        let three = FleetHEP.hep3(bytes(sipMessage(callID: "t3")), node: 3, micros: 3)
        let stream = one + two + Array("junk!".utf8) + three
        let r = collect { c, d in
            // Byte-sized pieces first, then the rest in odd slices.
            for i in 0..<10 { c.receive(stream: [stream[i]], connection: 1, from: FleetHEP.agentA, arrival: now, diagnose: d) }
            var i = 10
            while i < stream.count {
                let j = min(stream.count, i + 37)
                c.receive(stream: Array(stream[i..<j]), connection: 1, from: FleetHEP.agentA, arrival: now, diagnose: d)
                i = j
            }
            c.close(connection: 1, from: FleetHEP.agentA, arrival: now, diagnose: d)
        }
        #expect(r.messages.map(\.message.message.callID) == ["t1", "t2", "t3"])
        #expect(r.diagnostics.map(\.code) == ["hep-resync"])
    }

    /// Payloads are read as SIP when they leave the window (a parsed message is several times its
    /// bytes): one that is not SIP is said then, with the packet's number as it arrived, and takes
    /// no frame number, so the frames still equal the `-w` file's packets.
    @Test func aPayloadThatIsNotSIPIsSaidWhenItLeavesAndTakesNoFrame() {
        let r = collect { c, d in
            c.receive(datagram: FleetHEP.hep3(bytes("not a SIP message at all"), node: 7, micros: 1), from: FleetHEP.agentA, arrival: now, diagnose: d)
            c.receive(datagram: FleetHEP.hep3(bytes(sipMessage(callID: "next")), node: 7, micros: 2), from: FleetHEP.agentA, arrival: now, diagnose: d)
        }
        #expect(r.diagnostics.map(\.code) == ["hep-unread"])
        #expect(r.diagnostics.first?.message.hasPrefix("HEP packet 1 (UDP from 127.0.23.11:40001)") == true, "\(r.diagnostics)")
        #expect(r.messages.map(\.message.message.callID) == ["next"] && r.messages.map(\.message.frame) == [1])
        #expect(r.collector.unreadPackets == 1 && r.collector.messages == 1)
    }

    @Test func aFloodOfGarbageIsCountedNotPrintedWithoutEnd() {
        let r = collect { c, d in
            for _ in 0..<1000 { c.receive(datagram: [1, 2, 3, 4, 5], from: FleetHEP.agentB, arrival: now, diagnose: d) }
        }
        #expect(r.diagnostics.count == HEPCollector.maxDiagnosticsPerCode)
        #expect(r.collector.suppressedDiagnostics == 1000 - HEPCollector.maxDiagnosticsPerCode)
    }
}

@Suite struct HEPListenAddressTests {
    @Test func parsesUDPAndTCPOnIPv4AndIPv6() throws {
        let a = try HEPListenAddress.parse("udp:127.0.23.1:9060").get()
        #expect(a.transport == .udp && a.address == IPAddress([127, 0, 23, 1]) && a.port == 9060)
        let b = try HEPListenAddress.parse("tcp:[::1]:9061").get()
        #expect(b.transport == .tcp && b.address.isIPv6 && b.address.bytes.last == 1 && b.description == "tcp:[::1]:9061")
        let c = try HEPListenAddress.parse("udp:[::]:9060").get()
        #expect(c.address == IPAddress([UInt8](repeating: 0, count: 16)))
        #expect(try HEPListenAddress.parse("udp:fe80::1:2:9060").get().port == 9060)
    }

    @Test func refusesWhatIsNotOne() {
        for bad in ["9060", "sctp:1.2.3.4:9060", "udp:1.2.3.4", "udp:1.2.3:9060", "udp:1.2.3.4:0", "udp:host.example:9060", "udp:1::2::3:9060"] {
            if case .success = HEPListenAddress.parse(bad) { Issue.record("\(bad) parsed") }
        }
    }
}
