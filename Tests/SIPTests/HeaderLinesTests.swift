import Testing
@testable import SIP

/// A parsed message keeps its headers as ranges into the bytes read (`HeaderLines`) and makes
/// strings on demand. Every question asked of it must get the answer the same headers get when
/// given as values (the way the parser made them before): checked on odd header sections.
@Suite struct HeaderLinesTests {
    static let sections: [[UInt8]] = [
        Array(("MESSAGE sip:44@10.0.0.2:5062 SIP/2.0\r\n"
               + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport\r\n"
               + "v: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-second\r\n"
               + "From: <sip:44@pbx>;tag=a\r\nt: \"Key\" <sip:*602co1@pbx>\r\n"
               + "i: call-1@pbx\r\nCSeq:  7 MESSAGE \r\nc: application/x-buttons\r\n"
               + "Supported: a, b,c\r\nSupported: d\r\nProxy-Require: buttons\r\nl: 12\r\n\r\n").utf8),
        // Bare LF, spaces around the colon, a header with no value, a line with no colon.
        Array("SIP/2.0 200 OK\nVia : SIP/2.0/TCP h;branch=z9hG4bK-x\nCall-ID:\nno colon here\nCSeq: 1 MESSAGE\nTo: sip:a@b\nl: 123456789012345678901\n\n".utf8),
        // Bytes that are not UTF-8 in a value, a name past ASCII, a long unknown name.
        Array("REGISTER sip:pbx SIP/2.0\r\nFrom: <sip:\u{00e4}b@pbx>\r\nRaw: ".utf8) + [0xff, 0xfe, 0x41, 0x0d, 0x0a]
            + Array("Call-ID: c\u{0127}@pbx\r\nContent-Length: 1\u{0663}\r\nX-Very-Long-Header-Name-Beyond-Thirty-Two-Bytes: v\r\nÄ-Name: x\r\nTo: <sip:\u{00e4}b@pbx>\r\n\r\n".utf8),
        // A folded line: read as values, the fold joined.
        Array("MESSAGE sip:1@h SIP/2.0\r\nSubject: one\r\n  two\r\nCall-ID: f\r\nContent-Length: 0012\r\nFrom: <sip:1@h>\r\n\r\n".utf8),
    ]

    static let names = ["via", "v", "From", "f", "to", "Call-ID", "i", "cseq", "content-type", "supported",
                        "proxy-require", "content-length", "x", "raw", "X-Very-Long-Header-Name-Beyond-Thirty-Two-Bytes", "ä-name", "subject", "absent"]

    @Test(arguments: sections.indices)
    func everyQuestionGetsTheAnswerOfTheSameHeadersGivenAsValues(_ i: Int) throws {
        let read = try #require(SIPHeaderParser.parse(Self.sections[i]))
        let given = SIPMessage(startLine: read.startLine, headers: read.headers, headerUsesBareLF: read.headerUsesBareLF)
        #expect(read.headers == given.headers)
        for name in Self.names {
            #expect(read.header(name) == given.header(name), "\(name)")
            #expect(read.headerValues(name) == given.headerValues(name), "\(name)")
        }
        #expect(read.callID == given.callID)
        #expect(read.declaredContentLength == given.declaredContentLength)
        #expect(read.contentType == given.contentType)
        #expect(read.fromUser == given.fromUser)
        #expect(read.toUser == given.toUser)
        #expect(read.topViaBranch == given.topViaBranch)
        #expect(read.cseq?.number == given.cseq?.number)
        #expect(read.cseq?.method == given.cseq?.method)
        #expect(SIPSerializer.serialize(read, contentLength: .asWritten) == SIPSerializer.serialize(given, contentLength: .asWritten))
    }

    @Test func theValuesAreTheOnesWritten() throws {
        let read = try #require(SIPHeaderParser.parse(Self.sections[0]))
        #expect(read.callID == "call-1@pbx")
        #expect(read.header("cseq") == "7 MESSAGE")
        #expect(read.headerValues("supported") == ["a", "b", "c", "d"])
        #expect(read.topViaBranch == "z9hG4bK-1")
        #expect(read.toUser == "*602co1")
        #expect(read.headers.map(\.name).prefix(3) == ["Via", "v", "From"])
        let odd = try #require(SIPHeaderParser.parse(Self.sections[2]))
        #expect(odd.headers.first { $0.key == "raw" }?.rawValue == [0xff, 0xfe, 0x41])
        #expect(odd.fromUser == "\u{00e4}b")
        let folded = try #require(SIPHeaderParser.parse(Self.sections[3]))
        #expect(folded.header("subject") == "one two")
    }

    /// Changing the headers of a parsed message leaves the lines: the answers follow the change.
    @Test func changedHeadersAreTheOnesAnswered() throws {
        var m = try #require(SIPHeaderParser.parse(Self.sections[0]))
        m.headers.removeAll { $0.key == "call-id" }
        m.headers.append(SIPHeader(name: "Call-ID", value: "changed"))
        #expect(m.callID == "changed")
        #expect(m.header("i") == "changed")
        #expect(m.topViaBranch == "z9hG4bK-1")
    }

    /// Lines keep 16-bit offsets: a section past 65,535 bytes is made as values, and reads the same.
    @Test func aSectionPast64KiBReadsTheSame() throws {
        let big = String(repeating: "a", count: 70_000)
        let text = "MESSAGE sip:44@192.0.2.44 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-9\r\nX-Big: \(big)\r\n"
            + "Call-ID: after-the-big-one\r\nCSeq: 7 MESSAGE\r\nl: 0\r\n\r\n"
        let m = try #require(SIPHeaderParser.parse(Array(text.utf8)))
        #expect(m.header("x-big") == big)
        #expect(m.callID == "after-the-big-one")
        #expect(m.cseq?.number == 7)
        #expect(m.topViaBranch == "z9hG4bK-9")
        #expect(m.declaredContentLength == .value(0))
        #expect(m.headers.map(\.key) == ["via", "x-big", "call-id", "cseq", "content-length"])
    }

    /// A TCP framer keeps up to 8 KiB of buffer for the next message. When a segment ended where
    /// the headers did, the parser was handed a slice of that whole buffer, and `Array` of it
    /// shares the storage: every such message held 8 KiB for ~500 bytes of headers.
    @Test func headersHeldInTheirOwnCopyNotTheReadersBuffer() throws {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 13)
        buffer += Self.sections[0]
        let read = try #require(SIPHeaderParser.parse(buffer[...]))
        #expect(read.headerBytesCapacity >= buffer.count)
        #expect(read.headerBytesCapacity < 1 << 12, "held \(read.headerBytesCapacity) bytes for \(buffer.count)")
        #expect(read.callID == "call-1@pbx")
    }
}
