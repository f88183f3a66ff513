import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

/// The one selection `export`, `replay`, `watch` and `phone` share: every option given must hold.
@Suite struct MessageSelectionTests {
    let key3 = toPhone("k=3\r\nc=pickup\r\nl=Reception\r\n", frame: 10, at: 5)
    let key4 = toPhone("k=4\r\nc=none\r\n", frame: 20, at: 9, user: "45")

    @Test func nothingGivenMatchesEveryMessage() {
        let all = MessageSelection()
        #expect(all.isEmpty && !all.filtersMessages)
        #expect(all.matches(key3) && all.matches(key4))
    }

    @Test func framesMatchAnyFrameAMessageWasMadeOf() throws {
        var fragmented = key3
        fragmented.frames = [8, 9, 10]
        let selection = MessageSelection(frames: try #require(FrameRanges("1-8")))
        #expect(selection.matches(fragmented))
        #expect(!selection.matches(key4))
        #expect(!selection.filtersMessages, "frames alone let export keep frames outside SIP messages")
    }

    @Test func phoneAndKeyNameRequestsOnly() {
        let phone44 = MessageSelection(phone: "44")
        #expect(phone44.matches(key3) && !phone44.matches(key4))
        let describesKey3 = MessageSelection(key: "3")
        #expect(describesKey3.matches(key3) && !describesKey3.matches(key4))
        let answer = captured("SIP/2.0 200 OK\nCall-ID: call-10@192.0.2.1\nCSeq: 1 MESSAGE\n", frame: 11,
                              from: key3.destination, to: key3.source)
        #expect(!phone44.matches(answer), "an answer comes with its request's exchange, not by itself")
        #expect(MessageSelection(callID: "call-10@192.0.2.1").matches(answer))
    }

    @Test func timesAreInclusiveAndAllOptionsMustHold() {
        let start = key3.time.epochSeconds
        #expect(MessageSelection(from: start, until: start).matches(key3))
        #expect(!MessageSelection(from: start + 0.001).matches(key3))
        #expect(!MessageSelection(until: start - 0.001).matches(key3))
        let both = MessageSelection(phone: "44", key: "4")
        #expect(!both.matches(key3) && !both.matches(key4), "44's document describes key 3, 45's key 4")
    }

    @Test func frameRangesReadListsAndRefuseNonsense() throws {
        let ranges = try #require(FrameRanges("12, 15-18"))
        #expect(ranges.contains(12) && ranges.contains(17) && !ranges.contains(13))
        for bad in ["", "x-y", "0", "5-3", "1,,2", "1-2-3"] { #expect(FrameRanges(bad) == nil, "\(bad)") }
    }
}
