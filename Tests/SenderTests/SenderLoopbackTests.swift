import Foundation
import SIP
import Testing
@testable import Sender
import TestSupport

/// The sender against real sockets on loopback, with short timers.
@Suite(.serialized) struct SenderLoopbackTests {
    @Test func aSilentUDPPeerGetsRetransmissionsAndTheTransactionEndsAtTimerF() async throws {
        let peer = try LoopbackUDPPeer(answer: nil)
        defer { peer.stop() }
        let timers = SIPTimers(t1: 0.02, t2: 0.16)
        let sender = SIPSender(SenderConfiguration(timers: timers))
        let target = SIPTarget(user: "44", host: "127.0.0.1", port: peer.port, transport: .udp)
        let start = Date()
        do {
            _ = try await sender.send(.message(body: Array("k=1\r\n".utf8)), to: target)
            Issue.record("a silent peer produced an answer")
        } catch let e as SenderError {
            guard case .noAnswer(_, .udp, let seconds, let transmissions) = e else { Issue.record("wrong error \(e)"); return }
            #expect(seconds == timers.timerF)
            // 0, .02, .06, .14, .30, .46 … 1.26: 11 transmissions in 1.28 s (a slow machine may miss the last).
            #expect((9...11).contains(transmissions))
        }
        // It ends at Timer F, not before. No upper bound here: while synchronous tests hold the
        // cooperative pool on a 2-core machine, this continuation resumes late even though the
        // timer fired on time (ReplayCommandTests checks real Timer F timing in a subprocess).
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= timers.timerF)
        try await sender.shutdown()
        // The peer saw the same request again and again: same branch each time (a retransmission).
        let branches = Set(peer.received.compactMap { DatagramMessageReader.read($0)?.topViaBranch })
        #expect(branches.count == 1)
        #expect(peer.received.count >= 9)
        #expect(sender.log.all.filter(\.isRetransmission).count == peer.received.count - 1)
    }

    @Test func anAnsweringPeerGives200AndTheLogHoldsBothDirections() async throws {
        let peer = try LoopbackUDPPeer(answer: 200)
        defer { peer.stop() }
        let sender = SIPSender(SenderConfiguration(timers: SIPTimers(t1: 0.05)))
        let target = SIPTarget(user: "44", host: "127.0.0.1", port: peer.port, transport: .udp)
        let a = try await sender.send(.message(body: Array("k=1\r\nc=on\r\n".utf8)), to: target)
        let b = try await sender.send(.message(body: Array("k=2\r\n".utf8)), to: target)
        #expect(a.statusCode == 200 && b.statusCode == 200)
        #expect(a.transmissions == 1)
        #expect(a.request.callID != b.request.callID)
        #expect(a.response.topViaBranch == a.request.topViaBranch)
        try await sender.shutdown()
        let log = sender.log.all
        #expect(log.map(\.direction) == [.sent, .received, .sent, .received])
        #expect(log[0].bytes == a.requestBytes)
        #expect(peer.received == [a.requestBytes, b.requestBytes])
    }

    @Test func aRefusedTCPConnectionFailsAtOnce() async throws {
        let port = try FreePort.tcp()
        let sender = SIPSender()
        await #expect(throws: SenderError.connectionRefused(address: "127.0.0.1:\(port)")) {
            _ = try await sender.send(.message(body: []), to: SIPTarget(user: "44", host: "127.0.0.1", port: port, transport: .tcp))
        }
        // The error itself shows it did not wait (a wait ends in a timeout, not a refusal); the
        // wall clock is checked in a subprocess (ReplayCommandTests): here it measures the test pool.
        try await sender.shutdown()
    }

    @Test func icmpPortUnreachableOnUDPFailsLongBeforeTimerF() async throws {
        let port = try FreePort.udp()
        let sender = SIPSender()
        await #expect(throws: SenderError.portUnreachable(address: "127.0.0.1:\(port)")) {
            _ = try await sender.send(.message(body: []), to: SIPTarget(user: "44", host: "127.0.0.1", port: port, transport: .udp))
        }
        // portUnreachable, not noAnswer: it did not wait for Timer F (wall time here measures the test pool).
        try await sender.shutdown()
    }

    @Test func aNameThatDoesNotResolveIsSaidSo() {
        #expect(throws: SenderError.self) { try SIPSender.resolve(SIPTarget(user: "44", host: "no-such-host.invalid")) }
    }
}
