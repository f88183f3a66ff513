import Base
import Testing

/// Capture times kept exact, compared and moved without trapping on hostile values.
@Suite struct TimestampTests {
    func t(_ s: Int64, _ ns: Int64 = 0) -> Timestamp { Timestamp(seconds: s, nanoseconds: ns) }

    @Test func orderIsBySecondsThenNanoseconds() {
        #expect(t(1, 999_999_999) < t(2, 0))
        #expect(t(2, 1) > t(2, 0))
        #expect(!(t(2, 5) < t(2, 5)))
        #expect([t(3), t(1, 5), t(1)].sorted() == [t(1), t(1, 5), t(3)])
    }

    @Test func differencesAndEpochSecondsKeepTheFraction() {
        #expect(t(10, 250_000_000).seconds(since: t(9, 750_000_000)) == 0.5)
        #expect(t(9, 750_000_000).seconds(since: t(10, 250_000_000)) == -0.5)
        #expect(t(1, 500_000_000).epochSeconds == 1.5)
    }

    /// A hostile `if_tsoffset` can put timestamps at both ends of Int64: the difference is large, finite, no trap.
    @Test func differenceAcrossTheWholeRangeDoesNotTrap() {
        let d = t(.max).seconds(since: t(.min))
        #expect(d.isFinite && d > 1.8e19)
    }

    @Test func addingCarriesIntoSecondsAndGoesBackForNegatives() {
        #expect(t(5, 900_000_000).adding(seconds: 0.25) == t(6, 150_000_000))
        #expect(t(5, 100_000_000).adding(seconds: -0.25) == t(4, 850_000_000))
        #expect(t(5).adding(seconds: 2) == t(7))
    }

    @Test func addingSaturatesAndIgnoresNaN() {
        #expect(t(.max - 1).adding(seconds: 1e30).seconds == .max)
        #expect(t(.min + 1).adding(seconds: -1e30).seconds == .min)
        #expect(t(.max - 1).adding(seconds: .infinity).seconds == .max)
        #expect(t(42, 7).adding(seconds: .nan) == t(42, 7))
        #expect(Int64.max.addingSaturating(1) == .max && Int64.min.addingSaturating(-1) == .min)
    }

    @Test func clampedToSaneRangeKeepsTheNanoseconds() {
        #expect(t(1 << 50, 3).clampedToSaneRange == t(Timestamp.saneSeconds, 3))
        #expect(t(-(1 << 50)).clampedToSaneRange == t(-Timestamp.saneSeconds))
        #expect(t(1_700_000_000).clampedToSaneRange == t(1_700_000_000))
    }

    /// 1 700 000 000 s after the epoch is 2023-11-14 22:13:20 UTC.
    @Test func clockStringIsUTCWithMilliseconds() {
        #expect(t(1_700_000_000, 7_000_000).clockString == "22:13:20.007")
        #expect(t(1_700_000_000, 999_999_999).clockString == "22:13:20.999")
        #expect(t(0).clockString == "00:00:00.000")
        #expect(t(-1).clockString == "23:59:59.000", "the second before the epoch is the day before's last")
        #expect(t(86_400 + 3_661, 50_000_000).clockString == "01:01:01.050")
    }
}
