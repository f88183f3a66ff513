@testable import SIPCapture
import Testing
@testable import Capture
@testable import SIP
import Base
import TestSupport

/// Hostile shapes fed to the SIP layer: a Content-Length of 9999999999, a 10 MB header line, and
/// 100 000 connections each left with a partial message. Each ends with a diagnostic, keeps the
/// buffered-bytes counters bounded, and the normal message after it is read as usual.
@Suite struct HostileStreamTests {
    /// TCP: the message claiming 9999999999 body bytes takes the bytes up to the next start line
    /// (a diagnostic says so) and the next message is read normally; nothing stays buffered.
    @Test func contentLengthOfTenBillionOverTCP() {
        var h = FramerHarness()
        let hostile = sipMessage(callID: "huge", body: "k=1\r\nc=on\r\n", contentLength: "9999999999")
        h.feed(hostile + sipMessage(callID: "after", body: "k=7\r\nc=on\r\n"), frame: 1)
        h.close()
        #expect(h.callIDs == ["huge", "after"])
        #expect(h.messages.first?.diagnostics.contains { $0.code == "content-length-too-large" } == true)
        #expect(h.messages.last?.diagnostics.isEmpty == true)
        #expect(h.messages.last?.effectiveBody.text == "k=7\r\nc=on\r\n")
        #expect(h.framer.bufferedBytes == 0)
        #expect(parse(hostile)?.declaredContentLength == .value(9_999_999_999))
    }

    /// UDP: the datagram is read as RFC 3261 says a receiver would (discarded for being short), with
    /// the diagnostic; the next datagram is unaffected.
    @Test func contentLengthOfTenBillionOverUDP() {
        let extractor = SIPMessageExtractor(ordered: true)
        var messages: [CapturedMessage] = []
        let emit: (SIPMessageExtractor.Output) -> Void = { if case .message(let m) = $0 { messages.append(m) } }
        let hostile = bytes(sipMessage(callID: "huge", contentLength: "9999999999"))
        let normal = bytes(sipMessage(callID: "after"))
        extractor.process(Build.frame(1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(hostile)))), emit: emit)
        extractor.process(Build.frame(2, Build.ethernet(Build.ipv4(proto: 17, Build.udp(normal)))), emit: emit)
        extractor.finish(emit: emit)
        #expect(messages.map { $0.message.callID ?? "?" } == ["huge", "after"])
        #expect(messages.first?.diagnostics.contains { $0.code == "content-length-mismatch" } == true)
        #expect(messages.last?.diagnostics.isEmpty == true)
    }

    /// One header line of 10 MB arriving in 1400-byte segments: the framer never holds much more than
    /// its header bound, says `header-too-long`, and reads the message that follows.
    @Test func tenMegabyteHeaderLine() {
        var h = FramerHarness()
        var stream = bytes("MESSAGE sip:44@10.0.0.2 SIP/2.0\r\nX-Long: ")
        stream += [UInt8](repeating: 0x61, count: 10 << 20)
        stream += bytes("\r\nCall-ID: long\r\nContent-Length: 0\r\n\r\n")
        stream += bytes(sipMessage(callID: "after", body: "k=7\r\nc=on\r\n"))
        var maxBuffered = 0
        var frame = 1
        var i = 0
        while i < stream.count {
            h.feed(Array(stream[i..<min(stream.count, i + 1400)]), frame: frame)
            maxBuffered = max(maxBuffered, h.framer.bufferedBytes)
            i += 1400
            frame += 1
        }
        h.close()
        #expect(maxBuffered <= h.framer.maxHeaderBytes + 8192 + 1400)
        #expect(h.diagnostics.contains { $0.code == "header-too-long" })
        #expect(h.callIDs.last == "after")
        #expect(h.messages.last?.effectiveBody.text == "k=7\r\nc=on\r\n")
    }

    /// 100 000 TCP connections, each sending the start of a message and nothing more, then a normal
    /// MESSAGE over UDP: every connection ends with `message-incomplete`, the extractor's streams and
    /// buffered bytes stay bounded throughout, and the normal message comes out.
    @Test func hundredThousandPartialMessages() {
        let extractor = SIPMessageExtractor(ordered: true)
        var messages: [CapturedMessage] = []
        var incomplete = 0
        let emit: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m): messages.append(m)
            case .diagnostic(let d): if d.code == "message-incomplete" { incomplete += 1 }
            case .unreachable: break
            }
        }
        let partial = bytes("MESSAGE sip:44@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK-p\r\nCall-ID: partial\r\n")
        let count = 100_000
        var maxStreams = 0, maxBuffered = 0
        for i in 0..<count {
            let src: [UInt8] = [10, 9, UInt8(i >> 8 & 0xff), UInt8(i & 0xff)]
            let tcp = Build.tcp(sport: UInt16(20000 + i >> 16), seq: 77, partial)
            extractor.process(Build.frame(i + 1, Build.ethernet(Build.ipv4(src: src, proto: 6, tcp)), seconds: 1_700_000_000 + Int64(i / 1000)), emit: emit)
            if i % 10_000 == 0 {
                maxStreams = max(maxStreams, extractor.tcpStreamCount)
                maxBuffered = max(maxBuffered, extractor.bufferedStreamBytes)
            }
        }
        let normal = bytes(sipMessage(callID: "after", body: "k=7\r\nc=on\r\n"))
        extractor.process(Build.frame(count + 1, Build.ethernet(Build.ipv4(proto: 17, Build.udp(normal))), seconds: 1_700_000_100), emit: emit)
        maxStreams = max(maxStreams, extractor.tcpStreamCount)
        maxBuffered = max(maxBuffered, extractor.bufferedStreamBytes)
        extractor.finish(emit: emit)
        #expect(incomplete == count)
        #expect(messages.map { $0.message.callID ?? "?" } == ["after"])
        #expect(maxStreams <= TCPReassembler().maxStreams)
        #expect(maxBuffered <= TCPReassembler().maxStreams * partial.count)
        #expect(extractor.tcpStreamCount == 0 && extractor.bufferedStreamBytes == 0)
    }
}
