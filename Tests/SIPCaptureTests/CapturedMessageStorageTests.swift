import Base
import Capture
import SIP
import SIPCapture
import Testing
import TestSupport

/// A `CapturedMessage` holds its parts once, by reference, and copies them only when a shared
/// message is changed: a value still behaves as a value (a change to one copy never shows in another).
@Suite struct CapturedMessageStorageTests {
    static func message() -> CapturedMessage {
        captured("MESSAGE sip:44@10.0.0.2 SIP/2.0\nCall-ID: c1\nCSeq: 1 MESSAGE\nContent-Type: application/x-buttons",
                 body: "k=1\r\nc=on\r\n", frame: 3, at: 1)
    }

    @Test func aChangedCopyLeavesTheOriginalAlone() {
        let original = Self.message()
        var copy = original
        copy.frame = 9
        copy.frames = [8, 9]
        copy.diagnostics.append(Diagnostic("x", .warning, "changed"))
        copy.effectiveBody = []
        copy.message.headers.append(SIPHeader(name: "Subject", value: "changed"))
        copy.hep = HEPEnvelope(version: 3)
        #expect(original.frame == 3 && original.frames == [3])
        #expect(original.diagnostics.isEmpty)
        #expect(original.effectiveBody == Array("k=1\r\nc=on\r\n".utf8))
        #expect(original.message.header("subject") == nil && original.hep == nil)
        #expect(copy.frame == 9 && copy.frames == [8, 9] && copy.message.header("subject") == "changed" && copy.hep?.version == 3)
    }

    @Test func aChangeInPlaceKeepsEveryOtherPart() {
        var m = Self.message()
        m.frames[0] = 5
        m.time = Timestamp(seconds: 2, nanoseconds: 0)
        #expect(m.frames == [5] && m.time == Timestamp(seconds: 2, nanoseconds: 0))
        #expect(m.message.callID == "c1" && m.message.cseq?.number == 1 && m.bodyLength == 11)
    }
}
