import Testing
import Buttons
@testable import Analysis
import TestSupport

@Suite struct KeyTimelineTests {
    /// The spec: a description replaces the whole state. After a call on key 3, `k=3` `l=42`
    /// alone turns the lamp off and clears the caller, number and action.
    @Test func aDescriptionReplacesTheWholeState() {
        var timeline = KeyTimeline()
        let call = toPhone("k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n", frame: 1)
        let clear = toPhone("k=3\r\nl=42\r\n", frame: 3, at: 5)
        let first = timeline.add(call, exchange: exchange(call, status: 200))
        let second = timeline.add(clear, exchange: exchange(clear, status: 200))

        #expect(first.count == 1)
        #expect(first.first?.state.light == "pickup")
        #expect(first.first?.state.caller == "19781234567")
        #expect(first.first?.changed == ["light", "destination", "label", "caller"])
        guard let off = second.first else { Issue.record("no event for the clearing document"); return }
        #expect(off.key == "3")
        #expect(off.phone.user == "44")
        #expect(off.state.light == "off")
        #expect(off.state.caller == nil)
        #expect(off.state.destination == nil)
        #expect(off.state.label == "42")
        // The label was sent again with the same value: not a change. Action stays the default.
        #expect(off.changed == ["light", "destination", "caller"])
    }

    @Test func outcomesComeFromTheExchange() {
        var timeline = KeyTimeline()
        let ok = toPhone("k=1\r\nc=on\r\n", frame: 1)
        let refused = toPhone("k=2\r\nc=on\r\n", frame: 3, user: "45")
        let lost = toPhone("k=3\r\nc=on\r\n", frame: 5)
        let open = toPhone("k=4\r\nc=on\r\n", frame: 7)

        let a = timeline.add(ok, exchange: exchange(ok, status: 200))
        let r = timeline.add(refused, exchange: exchange(refused, status: 404))
        let u = timeline.add(lost, exchange: exchange(lost, status: nil, outcome: .unanswered))
        let k = timeline.add(open, exchange: nil)

        #expect(a.map(\.outcome) == [.accepted] && a.map(\.status) == [200])
        #expect(r.map(\.outcome) == [.rejected] && r.map(\.status) == [404])
        #expect(r.first?.phone.user == "45")
        #expect(u.map(\.outcome) == [.unanswered] && u.map(\.status) == [nil])
        #expect(k.map(\.outcome) == [.unknown] && k.map(\.status) == [nil])
    }

    @Test func retransmissionsAreNotNewEvents() {
        // Through the exchange: a frame listed as a retransmission causes nothing.
        var timeline = KeyTimeline()
        let first = toPhone("k=5\r\nc=on\r\n", frame: 1, branch: "z9hG4bK-same")
        let copy = toPhone("k=5\r\nc=on\r\n", frame: 2, at: 0.5, branch: "z9hG4bK-same")
        let ex = exchange(first, status: 200, retransmittedAt: [2])
        let index = OutcomeIndex([ex])
        var events = timeline.add(first, exchange: index[first])
        events += timeline.add(copy, exchange: index[copy])
        #expect(events.count == 1)
        #expect(events.first?.frame == 1)

        // Without an exchange: the same branch and CSeq moments later is a copy.
        var plain = KeyTimeline()
        var plainEvents = plain.add(first, outcome: .unknown, status: nil)
        plainEvents += plain.add(copy, outcome: .unknown, status: nil)
        #expect(plainEvents.count == 1)
        // A new transaction with the same document is a new event, with nothing changed.
        let resend = toPhone("k=5\r\nc=on\r\n", frame: 9, at: 3, cseq: 2)
        let again = plain.add(resend, outcome: .unknown, status: nil)
        #expect(again.count == 1)
        #expect(again.first?.changed == [])
    }

    @Test func keyPressesAppearWithoutChangingTheLamp() {
        var timeline = KeyTimeline()
        let lit = toPhone("k=1\r\nc=on\r\nl=Line\r\n", frame: 1)
        _ = timeline.add(lit, exchange: exchange(lit, status: 200))
        let press = fromPhone("k=1\r\na=seize\r\nt=<urn:uuid:1234>\r\n", frame: 3, at: 2)
        let events = timeline.add(press, exchange: exchange(press, status: 200))

        guard let event = events.first else { Issue.record("the press made no event"); return }
        #expect(event.direction == .fromPhone)
        #expect(event.phone.user == "44")
        #expect(event.phone.host == "192.0.2.44")
        #expect(event.key == "1")
        #expect(event.changed.isEmpty)
        #expect(event.state.light == "on")
        #expect(event.press?.map(\.name) == ["action", "treatment"])
        #expect(event.press?.first?.value == "seize")
        // The panel still holds the lamp the registrar set.
        let slot = timeline.phones.first?.keys.first
        #expect(slot?.sent?.frame == 1)
        #expect(slot?.shown?.state.light == "on")

        // A press on a key nobody lit does not invent a key on the panel.
        let stray = fromPhone("k=9\r\na=seize\r\n", frame: 5, at: 3)
        #expect(timeline.add(stray, exchange: nil).count == 1)
        #expect(timeline.phones.first?.keys.map(\.key) == ["1"])
    }

    @Test func aRejectedDocumentIsSentButNotShown() {
        var timeline = KeyTimeline()
        let on = toPhone("k=2\r\nc=on\r\n", frame: 1)
        let off = toPhone("k=2\r\nc=off\r\n", frame: 3, at: 1)
        _ = timeline.add(on, exchange: exchange(on, status: 200))
        _ = timeline.add(off, exchange: exchange(off, status: 404))

        let slot = timeline.phones.first?.keys.first { $0.key == "2" }
        #expect(slot?.sent?.frame == 3)
        #expect(slot?.sent?.state.light == "off")
        #expect(slot?.sent?.outcome == .rejected)
        #expect(slot?.sent?.status == 404)
        #expect(slot?.shown?.frame == 1)
        #expect(slot?.shown?.state.light == "on")
    }

    @Test func nothingAcceptedMeansNothingShown() {
        var timeline = KeyTimeline()
        let lost = toPhone("k=2\r\nc=on\r\n", frame: 1)
        _ = timeline.add(lost, exchange: exchange(lost, status: nil, outcome: .unanswered))
        let slot = timeline.phones.first?.keys.first
        #expect(slot?.sent?.outcome == .unanswered)
        #expect(slot?.shown == nil)
    }

    @Test func aDocumentUnderTheWrongTypeIsListedButNotShown() {
        var timeline = KeyTimeline()
        let m = toPhone("k=3\r\nc=on\r\n", frame: 1, contentType: "text/plain")
        let events = timeline.add(m, exchange: exchange(m, status: 200))
        #expect(events.map(\.key) == ["3"])
        let slot = timeline.phones.first?.keys.first
        #expect(slot?.sent?.frame == 1)
        #expect(slot?.shown == nil)
    }

    @Test func panelsOrderKeysLikeAPhone() {
        var timeline = KeyTimeline()
        let m = toPhone("k=10\r\n\r\nk=2\r\n\r\nk=P1\r\n\r\nk=1\r\n", frame: 1)
        _ = timeline.add(m, exchange: nil)
        #expect(timeline.phones.first?.keys.map(\.key) == ["1", "2", "10", "P1"])
    }

    @Test func messagesWithoutDocumentsMakeNoEvents() {
        var timeline = KeyTimeline()
        let sdp = toPhone("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n", frame: 1, contentType: "application/sdp")
        let empty = toPhone("", frame: 2, contentType: nil)
        #expect(timeline.add(sdp, exchange: nil).isEmpty)
        #expect(timeline.add(empty, exchange: nil).isEmpty)
        #expect(timeline.phones.isEmpty)
    }
}
