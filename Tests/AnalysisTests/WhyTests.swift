@testable import SIPCapture
import Base
import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

/// Each link of the `why` chain, broken on purpose with hand-built messages.
@Suite struct WhyTests {
    /// A registered phone 44 (Supported: buttons, contact 10.0.0.44:5060;line=abc, 3600 s).
    static let registration: [CapturedMessage] = {
        let r = Fix.register(branch: "z9hG4bK-reg", cseq: 1, frame: 1, at: 0)
        let ok = Fix.response(to: r, 200, extra: ["Contact: <sip:44@10.0.0.44:5060;line=abc>;expires=3600", "Require: buttons"], frame: 2, at: 0.01)
        return [r, ok]
    }()

    func why(_ messages: [CapturedMessage], key: String = "3", end: Double = 10, at: Double? = nil) -> WhyReport {
        var t = ExchangeTracker()
        messages.sorted { $0.frame < $1.frame }.forEach { t.add($0) }
        let ex = t.finish(captureEnd: Fix.time(end))
        return KeyDiagnosis(exchanges: ex, captureStart: Fix.time(0), captureEnd: Fix.time(end))
            .why(user: "44", key: key, at: at.map(Fix.time))
    }

    func sent(_ body: String, frame: Int = 3, at t: Double = 1, answer: Int? = 200, uri: String = "sip:44@10.0.0.44:5060;line=abc",
              to dst: Endpoint = Fix.phone44, contentLength: Int? = -1) -> [CapturedMessage] {
        let m = Fix.buttons(body, key44: uri, branch: "z9hG4bK-m\(frame)", cseq: UInt32(frame), frame: frame, at: t,
                            contentLength: contentLength, to: dst)
        return [m] + (answer.map { [Fix.response(to: m, $0, frame: frame + 1, at: t + 0.01)] } ?? [])
    }

    @Test func allLinksHold() {
        let r = why(Self.registration + sent("k=3\r\nc=on\r\nl=Sales\r\n"))
        #expect(r.verdict == .accepted)
        #expect(r.chain.allSatisfy { $0.ok })
        #expect(r.chain.map(\.check) == ["document-sent", "registration", "destination", "answered", "accepted", "document-valid", "not-overwritten"])
        #expect(r.nextStep.contains("button"))
    }

    @Test func noDocumentNamesTheKeysThePhoneDidGet() {
        let r = why(Self.registration + sent("k=1\r\nc=on\r\n\r\nk=2\r\nc=off\r\n"))
        #expect(r.verdict == .noDocument)
        #expect(r.chain.first?.frame == 3)
        #expect(r.chain.first?.detail.contains("keys 1, 2") == true)
    }

    @Test func documentBeforeAtOnlyAndLaterOneMentioned() {
        let r = why(Self.registration + sent("k=3\r\nc=on\r\n", frame: 3, at: 5), at: 2)
        #expect(r.verdict == .noDocument)
        #expect(r.chain.first?.detail.contains("frame 3") == true)
    }

    @Test func registrationWithoutButtonsSupport() {
        let r0 = Fix.register(branch: "z9hG4bK-reg", cseq: 1, frame: 1, at: 0, supported: false)
        let ok = Fix.response(to: r0, 200, frame: 2, at: 0.01)
        let r = why([r0, ok] + sent("k=3\r\nc=on\r\n"))
        #expect(r.verdict == .registration)
        #expect(r.firstBroken?.frame == 1)
    }

    @Test func registrationExpiredBeforeTheDocument() {
        let r0 = Fix.register(branch: "z9hG4bK-reg", cseq: 1, frame: 1, at: 0, expires: 2)
        let ok = Fix.response(to: r0, 200, frame: 2, at: 0.01)
        let r = why([r0, ok] + sent("k=3\r\nc=on\r\n", at: 5))
        #expect(r.verdict == .registration)
        #expect(r.firstBroken?.detail.contains("ran out") == true)
    }

    @Test func registrationNeverSeenIsNotABrokenLink() {
        let r = why(sent("k=3\r\nc=on\r\n"))
        #expect(r.verdict == .accepted)
        #expect(r.chain[1].detail.contains("before the capture began"))
    }

    @Test func wrongPort() {
        let other = Endpoint(address: Fix.phone44.address, port: 5070)
        let r = why(Self.registration + sent("k=3\r\nc=on\r\n", to: other))
        #expect(r.verdict == .wrongDestination)
        #expect(r.firstBroken?.detail.contains("5070") == true)
    }

    @Test func wrongRequestURIUser() {
        let r = why(Self.registration + sent("k=3\r\nc=on\r\n", answer: 404, uri: "sip:45@10.0.0.44:5060;line=abc"))
        #expect(r.verdict == .wrongDestination)
        #expect(r.firstBroken?.detail.contains("404") == true)
    }

    @Test func differentLine() {
        let r = why(Self.registration + sent("k=3\r\nc=on\r\n", uri: "sip:44@10.0.0.44:5060;line=xyz"))
        #expect(r.verdict == .wrongDestination)
        #expect(r.firstBroken?.detail.contains("line=xyz") == true)
    }

    @Test func unansweredWithRetransmissions() {
        var copies = sent("k=3\r\nc=on\r\n", answer: nil)
        for (i, t) in [1.5, 2.5].enumerated() {
            var c = copies[0]
            c.frame = 10 + i
            c.time = Fix.time(t)
            copies.append(c)
        }
        let r = why(Self.registration + copies)
        #expect(r.verdict == .unanswered)
        #expect(r.firstBroken?.frame == 11)
        #expect(r.firstBroken?.detail.contains("3 times") == true)
    }

    @Test func rejectedWith415And488() {
        for status in [415, 488] {
            let r = why(Self.registration + sent("k=3\r\nc=on\r\n", answer: status))
            #expect(r.verdict == .rejected)
            #expect(r.firstBroken?.frame == 4)
            #expect(r.firstBroken?.detail.contains("\(status)") == true)
        }
    }

    @Test func contentLengthCutTheDocument() {
        // 'k=3\r\nc=on\r\n' is 11 bytes; Content-Length 6 leaves "k=3\r\nc".
        let r = why(Self.registration + sent("k=3\r\nc=on\r\n", contentLength: 6))
        #expect(r.verdict == .brokenDocument)
        #expect(r.firstBroken?.detail.contains("Content-Length") == true)
    }

    @Test func entriesOnOneLine() {
        let r = why(Self.registration + sent("k=3 c=on l=Sales\r\n"))
        #expect(r.verdict == .brokenDocument)
        #expect(r.firstBroken?.detail.contains("entries-on-one-line") == true)
    }

    @Test func keyNotFirst() {
        let r = why(Self.registration + sent("c=on\r\nk=3\r\n"))
        #expect(r.verdict == .brokenDocument)
        #expect(r.firstBroken?.detail.contains("k=") == true)
    }

    @Test func invalidLight() {
        let r = why(Self.registration + sent("k=3\r\nc=blinking\r\n"))
        #expect(r.verdict == .brokenDocument)
        #expect(r.firstBroken?.detail.contains("invalid-value") == true)
    }

    /// Issue 15: "If an entry is not present, then a default value shall apply": the PBX's intent, with a note.
    @Test func aDescriptionWithoutLightTurnsItOffAsTheSpecMeans() {
        let r = why(Self.registration + sent("k=3\r\nc=on\r\nl=Sales\r\n", frame: 3, at: 1) + sent("k=3\r\nl=Sales\r\n", frame: 5, at: 2))
        #expect(r.verdict == .accepted)
        #expect(r.document?.frame == 5)
        #expect(r.notes.first?.contains("no c=, so off") == true)
    }

    @Test func anExplicitClearIsAChangeNotAnOverwrite() {
        // The spec's incoming-call walk-through: pickup with a caller, then "k=3 l=42" clears the call.
        let r = why(Self.registration
                    + sent("k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n", frame: 3, at: 1)
                    + sent("k=3\r\nl=42\r\n", frame: 5, at: 2))
        #expect(r.verdict == .accepted)
        #expect(r.document?.frame == 5)
    }

    @Test func whyAtPicksTheDocumentBeforeThatTime() {
        let msgs = Self.registration + sent("k=3\r\nc=on\r\n", frame: 3, at: 1) + sent("k=3\r\nc=blinking\r\n", frame: 5, at: 3)
        #expect(why(msgs, at: 2).verdict == .accepted)
        #expect(why(msgs).verdict == .brokenDocument)
    }
}
