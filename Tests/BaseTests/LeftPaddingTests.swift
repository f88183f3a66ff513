import Base
import Testing

/// Fixed-width columns: padded on the left up to the width, never cut.
@Suite struct LeftPaddingTests {
    @Test func padsUpToTheWidthAndNeverCuts() {
        #expect("7".leftPadded(to: 3) == "007")
        #expect("ff".leftPadded(to: 2) == "ff")
        #expect("12345".leftPadded(to: 2) == "12345")
        #expect("".leftPadded(to: 2) == "00")
        #expect("42".leftPadded(to: 5, with: " ") == "   42")
    }
}
