import Testing
@testable import Sender
import TestSupport

/// RFC 3261 §17.1.2.2 timers, without waiting: the state machine is driven by hand.
struct SenderTransactionTests {
    /// Fires Timer E until Timer F's time has passed, returning the retransmission times.
    private func retransmissionTimes(_ timers: SIPTimers, reliable: Bool) -> (times: [Double], timedOut: Bool, transmissions: Int) {
        var t = ClientTransaction(reliable: reliable, timers: timers)
        var now = 0.0, nextE: Double?, deadline = 0.0
        var times: [Double] = []
        for a in t.start() {
            if case .startTimerE(let s) = a { nextE = s }
            if case .startTimerF(let s) = a { deadline = s }
        }
        while let e = nextE, e < deadline {
            now = e
            nextE = nil
            for a in t.timerEFired() {
                if case .transmit(true) = a { times.append(now) }
                if case .startTimerE(let s) = a { nextE = now + s }
            }
        }
        let timedOut = t.timerFFired() == [.timeout]
        return (times, timedOut, t.transmissions)
    }

    @Test func udpRetransmitsAtT1DoublingToT2AndGivesUpAt64T1() {
        let r = retransmissionTimes(.rfc3261, reliable: false)
        // 0.5, 1.5, 3.5, 7.5, then every 4 s (T2) until 32 s: 11.5 … 31.5.
        #expect(r.times == [0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5])
        #expect(r.timedOut)
        #expect(r.transmissions == 11)
        #expect(SIPTimers.rfc3261.timerF == 32)
    }

    @Test func reliableTransportsNeverRetransmitButStillTimeOut() {
        var t = ClientTransaction(reliable: true)
        let start = t.start()
        #expect(start == [.transmit(retransmission: false), .startTimerF(32)])
        #expect(t.timerEFired().isEmpty)
        #expect(t.timerFFired() == [.timeout])
    }

    @Test func aProvisionalMovesToProceedingWhereRetransmissionsUseT2() {
        var t = ClientTransaction(reliable: false, timers: SIPTimers(t1: 0.5, t2: 4))
        _ = t.start()
        #expect(t.received(status: 100) == [.provisional(100)])
        #expect(t.state == .proceeding)
        #expect(t.timerEFired() == [.transmit(retransmission: true), .startTimerE(4)])
    }

    @Test func theFinalResponseEndsItAndLateEventsDoNothing() {
        var t = ClientTransaction(reliable: false)
        _ = t.start()
        #expect(t.received(status: 404) == [.complete(404)])
        #expect(t.state == .completed)
        #expect(t.received(status: 200).isEmpty)
        #expect(t.timerEFired().isEmpty)
        #expect(t.timerFFired().isEmpty)
    }

    @Test func configurableT1ScalesEverything() {
        let r = retransmissionTimes(SIPTimers(t1: 0.01, t2: 0.08), reliable: false)
        #expect(r.times.first == 0.01)
        #expect(SIPTimers(t1: 0.01, t2: 0.08).timerF == 0.64)
        #expect(r.timedOut)
    }
}
