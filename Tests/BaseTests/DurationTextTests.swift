import Base
import Testing

/// Each duration style as its doc comment promises it.
@Suite struct DurationTextTests {
    @Test func exactSaysAConfiguredTimeToTheMillisecond() {
        #expect(DurationText.exact(4) == "4 s")
        #expect(DurationText.exact(0.5) == "0.5 s")
        #expect(DurationText.exact(1.23456) == "1.235 s")
    }

    @Test func roundedIsMillisecondsUnderASecondAndOneDecimalAbove() {
        #expect(DurationText.rounded(0.25) == "250 ms")
        #expect(DurationText.rounded(0.0004) == "0 ms")
        #expect(DurationText.rounded(1.5) == "1.5 s")
        #expect(DurationText.rounded(32.04) == "32.0 s")
        #expect(DurationText.rounded(0.9996) == "1.0 s", "rounds to the millisecond first: 1000 ms is a second")
    }

    @Test func coarseIsShortForATable() {
        #expect(DurationText.coarse(0.25) == "250 ms")
        #expect(DurationText.coarse(42.4) == "42 s")
        #expect(DurationText.coarse(119.4) == "119 s")
        #expect(DurationText.coarse(185) == "3 min 5 s")
    }

    @Test func millisecondsAndOneDecimal() {
        #expect(DurationText.milliseconds(1234.4) == "1234 ms")
        #expect(DurationText.oneDecimal(2.04) == "2.0")
        #expect(DurationText.oneDecimal(12.96) == "13.0")
        #expect(DurationText.oneDecimal(-1.5) == "-1.5")
        // A value between -1 and 0 keeps its sign (it once read "0.4").
        #expect(DurationText.oneDecimal(-0.35) == "-0.4")
        #expect(DurationText.oneDecimal(-0.04) == "0.0")
    }
}
