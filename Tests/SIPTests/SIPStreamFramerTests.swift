import Testing
@testable import SIP
import Base
import TestSupport

@Suite struct SIPStreamFramerTests {
    @Test func twoMessagesInOneChunk() {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "one", body: "first") + sipMessage(callID: "two", body: "second!"), frame: 4)
        #expect(h.callIDs == ["one", "two"])
        #expect(h.messages.map { $0.message.body.text } == ["first", "second!"])
        #expect(h.messages.map(\.effectiveBody.text) == ["first", "second!"])
        #expect(h.messages.map(\.frame) == [4, 4])
        #expect(h.messages.map(\.frames) == [[4], [4]])
        #expect(h.messages.allSatisfy { $0.diagnostics.isEmpty })
        #expect(h.diagnostics.isEmpty)
        #expect(h.framer.kind == .sip)
        #expect(h.framer.bufferedBytes == 0)
    }

    @Test func oneMessageSplitInsideAHeaderAndInsideTheBody() throws {
        let text = bytes(sipMessage(callID: "split-call", body: "0123456789"))
        let inHeader = try #require(text.firstRange(of: bytes("split-c"))).upperBound
        let inBody = text.count - 4
        var h = FramerHarness()
        h.feed(Array(text[..<inHeader]), frame: 11)
        #expect(h.messages.isEmpty)
        h.feed(Array(text[inHeader..<inBody]), frame: 12)
        #expect(h.messages.isEmpty)
        h.feed(Array(text[inBody...]), frame: 13)
        let m = try #require(h.messages.first)
        #expect(h.messages.count == 1)
        #expect(m.message.callID == "split-call")
        #expect(m.message.body.text == "0123456789")
        #expect(m.frames == [11, 12, 13])
        #expect(m.frame == 13)
        #expect(m.diagnostics.isEmpty)
    }

    @Test func contentLengthTooSmall() throws {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "small", body: "HelloWorld\r\n", contentLength: "5") + sipMessage(callID: "after"), frame: 1)
        #expect(h.callIDs == ["small", "after"])
        let m = try #require(h.messages.first)
        #expect(m.effectiveBody.text == "Hello")
        #expect(m.message.body.text == "HelloWorld\r\n")  // what was on the wire
        #expect(m.diagnostics.map(\.code) == ["content-length-mismatch"])
        #expect(h.messages[1].diagnostics.isEmpty)
        #expect(h.diagnostics.isEmpty)
    }

    @Test func contentLengthTooSmallWhereTheExtraStartsWithALineBreak() throws {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "small", body: "Hello\r\nWorld\r\n", contentLength: "5") + sipMessage(callID: "after"), frame: 1)
        #expect(h.callIDs == ["small", "after"])
        let m = try #require(h.messages.first)
        #expect(m.effectiveBody.text == "Hello")
        #expect(m.diagnostics.map(\.code) == ["content-length-mismatch"])
        #expect(h.diagnostics.isEmpty)
    }

    @Test func secondStartLineSplitAcrossSegments() throws {
        var h = FramerHarness()
        let second = sipMessage(callID: "two")
        h.feed(sipMessage(callID: "one", body: "first") + String(second.prefix(4)), frame: 1)
        h.feed(String(second.dropFirst(4)), frame: 2)
        #expect(h.callIDs == ["one", "two"])
        #expect(h.messages.map { $0.message.method ?? "?" } == ["MESSAGE", "MESSAGE"])
        #expect(h.messages.first?.message.body.text == "first")
        #expect(h.messages.first?.diagnostics.isEmpty == true)
        #expect(h.messages.last?.frames == [1, 2])
        #expect(h.diagnostics.isEmpty)
    }

    @Test func contentLengthTooLargeSwallowsTheNextMessage() throws {
        var h = FramerHarness()
        let next = sipMessage(callID: "next", body: String(repeating: "n", count: 100))
        // The body ends its line; the next message starts a line of its own inside the declared 60 bytes.
        h.feed(sipMessage(callID: "big", body: "Hello\r\n", contentLength: "60") + next, frame: 1)
        #expect(h.callIDs == ["big", "next"])
        let m = try #require(h.messages.first)
        #expect(m.effectiveBody.text == "Hello\r\n")
        #expect(m.diagnostics.map(\.code) == ["content-length-mismatch"])
        #expect(m.diagnostics.first?.frame == 1)
        #expect(h.messages[1].message.method == "MESSAGE")
        #expect(h.messages[1].message.body.count == 100)
    }

    @Test func contentLengthMissingOverTCP() throws {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "nocl", body: "", contentLength: "") + sipMessage(callID: "after"), frame: 2)
        #expect(h.callIDs == ["nocl", "after"])
        #expect(h.messages[0].diagnostics.map(\.code) == ["content-length-missing"])
        #expect(h.messages[0].message.body.isEmpty)
    }

    @Test func contentLengthHugeDoesNotWait() throws {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "huge", body: "tiny", contentLength: "9999999999"), frame: 3)
        let m = try #require(h.messages.first)
        #expect(m.message.callID == "huge")
        #expect(m.diagnostics.map(\.code).contains("content-length-too-large"))
        #expect(h.framer.bufferedBytes == 0)
        h.feed(sipMessage(callID: "after"), frame: 4)
        #expect(h.callIDs == ["huge", "after"])
    }

    @Test func contentLength40DigitsDoesNotTrapOrWait() throws {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "x", body: "b", contentLength: String(repeating: "9", count: 40)) + sipMessage(callID: "y"), frame: 3)
        #expect(h.callIDs == ["x", "y"])
        #expect(h.messages[0].diagnostics.map(\.code).contains("content-length-too-large"))
    }

    private func longHeaderStream(before: Bool) -> (chunks: [[UInt8]], total: Int) {
        var stream: [UInt8] = before ? bytes(sipMessage(callID: "before")) : []
        stream += bytes("MESSAGE sip:44@10.0.0.2 SIP/2.0\r\nX-Long: ")
        stream += [UInt8](repeating: 0x61, count: 10 << 20)
        stream += bytes("\r\nCall-ID: long\r\nContent-Length: 0\r\n\r\n")
        stream += bytes(sipMessage(callID: "after-long"))
        var chunks: [[UInt8]] = []
        var at = 0
        while at < stream.count {
            chunks.append(Array(stream[at..<min(stream.count, at + (64 << 10))]))
            at += 64 << 10
        }
        return (chunks, stream.count)
    }

    @Test(arguments: [true, false])
    func tenMegabyteHeaderLine(afterAGoodMessage: Bool) {
        var h = FramerHarness()
        let (chunks, _) = longHeaderStream(before: afterAGoodMessage)
        var maxBuffered = 0
        for (i, c) in chunks.enumerated() {
            h.feed(c, frame: i + 1)
            maxBuffered = max(maxBuffered, h.framer.bufferedBytes)
        }
        #expect(maxBuffered < 200_000)
        #expect(h.diagnostics.map(\.code).contains("header-too-long"))
        #expect(h.diagnostics.map(\.code) == ["header-too-long", "tcp-resync"])
        #expect(h.callIDs == (afterAGoodMessage ? ["before", "after-long"] : ["after-long"]))
        #expect(h.framer.kind == .sip)
    }

    @Test func gapMidMessage() throws {
        var h = FramerHarness()
        let first = bytes(sipMessage(callID: "cut", body: "0123456789ABCDEFGHIJ"))
        h.feed(Array(first.dropLast(15)), frame: 1)                 // 5 body bytes arrived
        h.gap(15, frame: 2)
        let m = try #require(h.messages.first)
        #expect(m.message.callID == "cut")
        #expect(m.message.body.text == "01234")
        #expect(m.diagnostics.map(\.code) == ["tcp-gap"])
        #expect(!m.isTruncatedByCapture)
        // The stream resumes inside the lost body's tail, then a whole message.
        h.feed(bytes("junk tail\r\n") + bytes(sipMessage(callID: "next")), frame: 2)
        #expect(h.callIDs == ["cut", "next"])
        #expect(h.messages[1].diagnostics.isEmpty)
    }

    @Test func gapByTheCaptureMidMessage() throws {
        var h = FramerHarness()
        let first = bytes(sipMessage(callID: "snap", body: "0123456789"))
        h.feed(Array(first.dropLast(6)), frame: 1)
        h.gap(6, frame: 1, truncated: true)
        let m = try #require(h.messages.first)
        #expect(m.diagnostics.map(\.code) == ["capture-truncated"])
        #expect(m.isTruncatedByCapture)
    }

    @Test func gapBetweenMessagesIsReported() {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "a"), frame: 1)
        h.gap(100, frame: 3)
        #expect(h.diagnostics.map(\.code) == ["tcp-gap"])
        h.feed(sipMessage(callID: "b"), frame: 3)
        #expect(h.callIDs == ["a", "b"])
    }

    @Test func midstreamStart() throws {
        var h = FramerHarness()
        h.feed("lue=44\r\nbody tail of a message we never saw\r\n" + sipMessage(callID: "first-whole"), frame: 9)
        #expect(h.callIDs == ["first-whole"])
        #expect(h.diagnostics.map(\.code) == ["tcp-midstream"])
        #expect(h.diagnostics.first?.frame == 9)
    }

    @Test func midstreamStartInsideAHeaderSection() throws {
        var h = FramerHarness()
        h.feed("Call-ID: lost\r\nContent-Length: 0\r\n\r\n", frame: 1)
        h.feed(sipMessage(callID: "found"), frame: 2)
        #expect(h.callIDs == ["found"])
        #expect(h.diagnostics.map(\.code) == ["tcp-midstream"])
        #expect(h.diagnostics.first?.frame == 1)
    }

    @Test func nonSIPStream() {
        var h = FramerHarness()
        var state: UInt64 = 42
        for i in 0..<20 {
            var chunk: [UInt8] = []
            for _ in 0..<4096 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                chunk.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            if i == 0 { chunk[0] = 0x80 }
            h.feed(chunk, frame: i + 1)
        }
        #expect(h.framer.kind == .notSIP)
        #expect(h.framer.bufferedBytes == 0)
        #expect(h.messages.isEmpty)
        h.feed(sipMessage(), frame: 99)                             // ignored from now on
        #expect(h.messages.isEmpty)
    }

    @Test func tlsFirstBytes() {
        var h = FramerHarness()
        h.feed([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03] + [UInt8](repeating: 0x55, count: 100), frame: 1)
        #expect(h.framer.kind == .tls)
        #expect(h.framer.bufferedBytes == 0)
        #expect(h.messages.isEmpty && h.diagnostics.isEmpty)
    }

    @Test func keepaliveCRLFsBetweenMessagesAreIgnored() {
        var h = FramerHarness()
        h.feed(sipMessage(callID: "k1"), frame: 1)
        h.feed("\r\n\r\n", frame: 2)
        h.feed("\r\n\r\n" + sipMessage(callID: "k2") + "\r\n", frame: 3)
        h.feed("\r\n\r\n", frame: 4)
        h.feed(sipMessage(callID: "k3"), frame: 5)
        h.close()
        #expect(h.callIDs == ["k1", "k2", "k3"])
        #expect(h.messages.map(\.frames) == [[1], [3], [5]])
        #expect(h.diagnostics.isEmpty)
        #expect(h.messages.allSatisfy { $0.diagnostics.isEmpty })
    }

    @Test func keepaliveAtTheStartIsNotAMidstreamStart() {
        var h = FramerHarness()
        h.feed("\r\n\r\n", frame: 1)
        h.feed(sipMessage(callID: "k1"), frame: 2)
        #expect(h.callIDs == ["k1"])
        #expect(h.diagnostics.isEmpty)
    }

    @Test func compactContentLengthFrames() {
        var h = FramerHarness()
        let m1 = "MESSAGE sip:a@b SIP/2.0\r\ni: c1\r\nl: 4\r\n\r\nbody"
        h.feed(m1 + sipMessage(callID: "c2"), frame: 1)
        #expect(h.callIDs == ["c1", "c2"])
        #expect(h.messages[0].message.body.text == "body")
    }

    @Test func bareLFMessageFrames() {
        var h = FramerHarness()
        h.feed("MESSAGE sip:a@b SIP/2.0\ni: lf1\nl: 2\n\nokSIP/2.0 200 OK\ni: lf2\nl: 0\n\n", frame: 1)
        #expect(h.callIDs == ["lf1", "lf2"])
        #expect(h.messages[0].message.headerUsesBareLF)
    }

    @Test func closeWithAnIncompleteMessage() throws {
        var h = FramerHarness()
        h.feed(Array(bytes(sipMessage(callID: "inc", body: "0123456789")).dropLast(3)), frame: 6)
        #expect(h.messages.isEmpty)
        h.close()
        let m = try #require(h.messages.first)
        #expect(m.diagnostics.map(\.code) == ["message-incomplete"])
        #expect(m.message.body.text == "0123456")
    }
}
