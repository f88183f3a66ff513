import Testing
import Base

/// The bookkeeping every stream reader shares: which frames brought a message's bytes, and when.
@Suite struct StreamFrameMarksTests {
    func t(_ s: Int64) -> Timestamp { Timestamp(seconds: 1_700_000_000 + s, nanoseconds: 0) }

    /// Frames 7 (bytes 0–9), 9 (10–19) and 8 (20–29): a retransmitted segment may come late.
    func three() -> StreamFrameMarks {
        var marks = StreamFrameMarks()
        marks.append(offset: 0, frame: 7, time: t(1))
        marks.append(offset: 10, frame: 9, time: t(2))
        marks.append(offset: 20, frame: 8, time: t(3))
        return marks
    }

    @Test func aByteIsNamedByTheFrameThatBroughtIt() {
        let marks = three()
        #expect(marks.frame(at: 0) == 7 && marks.frame(at: 9) == 7 && marks.frame(at: 10) == 9 && marks.frame(at: 29) == 8)
        #expect(marks.time(at: 25) == t(3) && marks.time(at: -1) == t(1))
        #expect(marks.frames(covering: 5, 25) == [7, 8, 9], "ascending, each once")
        #expect(marks.frames(covering: 12, 18) == [9])
        #expect(marks.frames(covering: 5, 5).isEmpty)
        #expect(marks.lowestFrame(from: 10) == 8 && marks.lastFrame == 8)
    }

    @Test func droppingConsumedBytesKeepsThePartOfAFrameStillHeld() {
        var marks = three()
        marks.drop(15)  // frame 7 wholly consumed, frame 9 half
        #expect(marks.frame(at: 0) == 9 && marks.frame(at: 4) == 9 && marks.frame(at: 5) == 8)
        #expect(marks.frames(covering: 0, 15) == [8, 9])
        marks.drop(5)
        #expect(marks.frame(at: 0) == 8 && marks.lowestFrame(from: 0) == 8)
    }

    @Test func nothingHeldNamesNoFrame() {
        var marks = three()
        marks.removeAll()
        #expect(marks.isEmpty && marks.frame(at: 3) == 0 && marks.frames(covering: 0, 10).isEmpty && marks.lastFrame == nil)
    }
}
