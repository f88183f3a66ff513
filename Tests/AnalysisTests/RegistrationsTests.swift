@testable import SIPCapture
import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

@Suite struct RegistrationsTests {
    func exchanges(_ messages: [CapturedMessage], end: Double = 100) -> [Exchange] {
        var t = ExchangeTracker()
        messages.sorted { $0.frame < $1.frame }.forEach { t.add($0) }
        return t.finish(captureEnd: Fix.time(end))
    }

    @Test func challengeThenSuccessWithButtons() throws {
        let r1 = Fix.register(branch: "z9hG4bK-r1", cseq: 1, frame: 1, at: 0)
        let c = Fix.response(to: r1, 401, extra: ["WWW-Authenticate: Digest realm=\"pbx\", nonce=\"n\""], frame: 2, at: 0.01)
        let r2 = Fix.register(branch: "z9hG4bK-r2", cseq: 2, frame: 3, at: 0.02)
        let ok = Fix.response(to: r2, 200, extra: ["Contact: <sip:44@10.0.0.44:5060;line=abc>;expires=600", "Required: buttons"], frame: 4, at: 0.03)
        let regs = Registrations(exchanges: exchanges([r1, c, r2, ok]))
        let records = regs.records(of: "44")
        #expect(records.count == 2)
        #expect(records[0].isChallenge && !records[0].succeeded)
        #expect(records[1].succeeded)
        #expect(records[1].supportedButtons)
        // The spec's misspelling counts, and is reported as written.
        #expect(records[1].requireButtons && records[1].requireSpelling == "Required")
        // The 200's contact expiry (600) wins over the request's Expires: 3600.
        let binding = try #require(records[1].contacts.first)
        #expect(binding.expires == 600 && binding.expiresSource == "200 contact")
        #expect(binding.line == "abc")
        #expect(regs.live("44", at: Fix.time(500)) != nil)
        if case .expired(_, let end) = regs.status(of: "44", at: Fix.time(700)) {
            #expect(abs(end.seconds(since: Fix.time(0.03)) - 600) < 0.001)
        } else {
            Issue.record("expected expired at 700 s")
        }
    }

    @Test func requestExpiryUsedWhenTheAnswerSaysNothing() {
        let r = Fix.register(branch: "z9hG4bK-a", cseq: 1, frame: 1, at: 0, expires: 120, supported: false)
        let ok = Fix.response(to: r, 200, frame: 2, at: 0.1)
        let rec = Registrations(exchanges: exchanges([r, ok])).records(of: "44")
        #expect(rec.first?.contacts.first?.expires == 120)
        #expect(rec.first?.contacts.first?.expiresSource == "request Expires")
        #expect(rec.first?.supportedButtons == false)
        #expect(rec.first?.requireButtons == false)
    }

    @Test func deregistrationEndsTheLiveRegistration() {
        let r = Fix.register(branch: "z9hG4bK-a", cseq: 1, frame: 1, at: 0)
        let ok = Fix.response(to: r, 200, frame: 2, at: 0.1)
        let d = Fix.register(branch: "z9hG4bK-b", cseq: 2, frame: 3, at: 10, expires: 0)
        let ok2 = Fix.response(to: d, 200, frame: 4, at: 10.1)
        let regs = Registrations(exchanges: exchanges([r, ok, d, ok2]))
        #expect(regs.live("44", at: Fix.time(5))?.frame == 1)
        #expect(regs.live("44", at: Fix.time(20)) == nil)
        if case .deregistered(let rec) = regs.status(of: "44", at: Fix.time(20)) {
            #expect(rec.frame == 3 && rec.isDeregistration)
        } else {
            Issue.record("expected deregistered")
        }
    }

    @Test func neverSeenAndNotYet() {
        let r = Fix.register(branch: "z9hG4bK-a", cseq: 1, frame: 5, at: 50)
        let ok = Fix.response(to: r, 200, frame: 6, at: 50.1)
        let regs = Registrations(exchanges: exchanges([r, ok]))
        if case .neverSeen = regs.status(of: "45", at: Fix.time(60)) {} else { Issue.record("45 never registered") }
        if case .notYet(let first) = regs.status(of: "44", at: Fix.time(10)) { #expect(first.frame == 5) } else { Issue.record("44 not yet") }
    }

    @Test func failedRegistration() {
        let r = Fix.register(branch: "z9hG4bK-a", cseq: 1, frame: 1, at: 0)
        let no = Fix.response(to: r, 403, "Forbidden", frame: 2, at: 0.1)
        if case .failed(let rec) = Registrations(exchanges: exchanges([r, no])).status(of: "44", at: Fix.time(5)) {
            #expect(rec.status == 403)
        } else {
            Issue.record("expected failed")
        }
    }
}
