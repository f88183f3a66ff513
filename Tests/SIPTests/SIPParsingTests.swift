import Testing
@testable import SIP
import Base
import TestSupport

@Suite struct SIPStartLineTests {
    func line(_ s: String) -> SIPMessage.StartLine? { SIPStartLine.parse(bytes(s)[...]) }

    @Test func requestsOfAnyTokenMethod() {
        #expect(line("MESSAGE sip:44@10.0.0.2 SIP/2.0") == .request(method: "MESSAGE", uri: "sip:44@10.0.0.2"))
        #expect(line("REGISTER sip:pbx.example.com SIP/2.0") == .request(method: "REGISTER", uri: "sip:pbx.example.com"))
        #expect(line("X-Weird.method!~ sips:a@b;transport=tls SIP/2.0") == .request(method: "X-Weird.method!~", uri: "sips:a@b;transport=tls"))
        #expect(line("NOTIFY tel:+4930123 sip/2.0") == .request(method: "NOTIFY", uri: "tel:+4930123"))
    }

    @Test func responses() {
        #expect(line("SIP/2.0 200 OK") == .response(code: 200, reason: "OK"))
        #expect(line("SIP/2.0 404 Not Found") == .response(code: 404, reason: "Not Found"))
        #expect(line("SIP/2.0 100") == .response(code: 100, reason: ""))
    }

    @Test func rejects() {
        #expect(line("SIP/2.0 2000 OK") == nil)
        #expect(line("SIP/2.0 20x OK") == nil)
        #expect(line("SIP/2.0  200 OK") == nil)
        #expect(line("MESSAGE sip:44@10.0.0.2") == nil)                  // no version
        #expect(line("MESSAGE sip:44@10.0.0.2 HTTP/1.1") == nil)
        #expect(line("GET / HTTP/1.1") == nil)
        #expect(line("MESSAGE nocolon SIP/2.0") == nil)                   // a URI has a scheme
        #expect(line("MESSAGE sip:a b SIP/2.0") == nil)
        #expect(line("MES(SAGE sip:a@b SIP/2.0") == nil)                  // not a token
        #expect(line("hello world, this is not SIP") == nil)
        #expect(line("") == nil)
        // RTP: version 2, payload type 0, then binary.
        let rtp: [UInt8] = [0x80, 0x00, 0x12, 0x34, 0, 0, 0x10, 0, 0xde, 0xad, 0xbe, 0xef] + [UInt8](repeating: 0xff, count: 160)
        #expect(SIPStartLine.parse(rtp[...]) == nil)
        #expect(!SIPStartLine.mayBegin(rtp[...]))
        #expect(!SIPStartLine.mayBegin([0x16, 0x03, 0x01][...]))
        #expect(SIPStartLine.mayBegin(bytes("SIP/2.0")[...]))
    }

    @Test func parsesASliceNotStartingAtZero() {
        let b = bytes("xxSIP/2.0 486 Busy Here")
        #expect(SIPStartLine.parse(b[2...]) == .response(code: 486, reason: "Busy Here"))
    }
}

@Suite struct SIPHeaderParserTests {
    @Test func caseInsensitiveLookups() throws {
        let m = try #require(parse("MESSAGE sip:a@b SIP/2.0\r\nCALL-ID: abc@host\r\ncseq: 7 MESSAGE\r\nCoNtEnT-TyPe: text/plain\r\n\r\n"))
        #expect(m.callID == "abc@host")
        #expect(m.header("Call-Id") == "abc@host")
        #expect(m.header("call-id") == "abc@host")
        #expect(m.cseq?.number == 7 && m.cseq?.method == "MESSAGE")
        #expect(m.contentType == "text/plain")
        #expect(m.header("Missing") == nil)
    }

    @Test func compactForms() throws {
        let text = ["MESSAGE sip:44@h SIP/2.0", "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKc", "f: <sip:pbx@h>;tag=1",
                    "t: <sip:44@h>", "i: compact-call", "m: <sip:pbx@10.0.0.1:5060>", "s: lamps", "k: path",
                    "c: application/x-buttons", "l: 3", "", "abc"].joined(separator: "\r\n")
        let m = try #require(parse(text))
        #expect(m.header("Via") == "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKc")
        #expect(m.topViaBranch == "z9hG4bKc")
        #expect(m.from?.user == "pbx" && m.fromTag == "1")
        #expect(m.to?.user == "44")
        #expect(m.callID == "compact-call")
        #expect(m.header("Contact") == "<sip:pbx@10.0.0.1:5060>")
        #expect(m.header("Subject") == "lamps")
        #expect(m.header("Supported") == "path")
        #expect(m.contentType == "application/x-buttons")
        #expect(m.declaredContentLength == .value(3))
        // And the long name finds the compact header, the compact name the long one.
        #expect(parse("SIP/2.0 200 OK\r\nContent-Length: 9\r\n\r\n")?.header("l") == "9")
    }

    @Test func foldedLines() throws {
        let m = try #require(parse("MESSAGE sip:a@b SIP/2.0\r\nSubject: first\r\n  second\r\n\tthird\r\nCall-ID: x\r\n\r\n"))
        #expect(m.header("subject") == "first second third")
        #expect(m.callID == "x")
    }

    @Test func bareLFHeaderSection() throws {
        let text = bytes("MESSAGE sip:a@b SIP/2.0\nCall-ID: lf\nContent-Length: 2\n\nok")
        let end = try #require(SIPHeaderParser.headerEnd(text, from: 0))
        #expect(Array(text[end...]).text == "ok")
        let m = try #require(SIPHeaderParser.parse(text[..<end]))
        #expect(m.callID == "lf")
        #expect(m.headerUsesBareLF)
        #expect(parse(sipMessage())?.headerUsesBareLF == false)
    }

    @Test func headerEndFindsTheEmptyLine() {
        let crlf = bytes("SIP/2.0 200 OK\r\nA: b\r\n\r\nBODY")
        #expect(SIPHeaderParser.headerEnd(crlf, from: 0) == crlf.count - 4)
        #expect(SIPHeaderParser.headerEnd(bytes("SIP/2.0 200 OK\r\nA: b\r\n"), from: 0) == nil)
        #expect(SIPHeaderParser.headerEnd(bytes("SIP/2.0 200 OK\r\nA: b\r\n\r"), from: 0) == nil)
        #expect(SIPHeaderParser.headerEnd(bytes("SIP/2.0 200 OK\r\nA: b"), from: 0) == nil)
    }

    @Test func viaWithSeveralValues() throws {
        let text = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP proxy;branch=z9hG4bKfirst;received=1.2.3.4, SIP/2.0/UDP phone;branch=z9hG4bKsecond\r\n"
            + "v: SIP/2.0/UDP third;branch=z9hG4bKthird\r\n\r\n"
        let m = try #require(parse(text))
        #expect(m.topViaBranch == "z9hG4bKfirst")
        #expect(m.headerValues("via").count == 3)
        #expect(m.headerValues("v").last == "SIP/2.0/UDP third;branch=z9hG4bKthird")
    }

    @Test func commasInsideQuotesAndBracketsDoNotSplit() throws {
        let m = try #require(parse("SIP/2.0 200 OK\r\nContact: \"Doe, John\" <sip:j@h;x=a,b>, <sip:k@h>\r\n\r\n"))
        #expect(m.headerValues("contact") == ["\"Doe, John\" <sip:j@h;x=a,b>", "<sip:k@h>"])
    }

    @Test func notAStartLineIsNotAMessage() {
        #expect(parse("HELLO\r\nA: b\r\n\r\n") == nil)
        #expect(parse("") == nil)
    }

    @Test(arguments: [("9999999999", DeclaredLength.value(9_999_999_999)),
                      (String(repeating: "9", count: 40), .value(Int.max)),
                      ("-1", .invalid("-1")),
                      ("abc", .invalid("abc")),
                      ("", .invalid("")),
                      ("1e3", .invalid("1e3")),
                      (" 12 ", .value(12))])
    func hostileContentLength(raw: String, expected: DeclaredLength) throws {
        let m = try #require(parse("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: \(raw)\r\n\r\n"))
        #expect(m.declaredContentLength == expected)
        // Reading a body against it never traps either.
        for transport in [TransportKind.udp, .tcp] {
            let r = BodyReading.read(body: bytes("body"), declared: m.declaredContentLength, transport: transport,
                                     truncatedByCapture: false, frame: 1)
            #expect(r.effective.count <= 4)
        }
    }

    @Test func missingContentLengthIsAbsent() {
        #expect(parse("MESSAGE sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n")?.declaredContentLength == .absent)
    }

    @Test func hostileCSeqIsNil() {
        #expect(parse("MESSAGE sip:a@b SIP/2.0\r\nCSeq: 99999999999 MESSAGE\r\n\r\n")?.cseq == nil)
        #expect(parse("MESSAGE sip:a@b SIP/2.0\r\nCSeq: 1\r\n\r\n")?.cseq == nil)
    }

    @Test func tagsFromFromAndTo() throws {
        let m = try #require(parse("SIP/2.0 200 OK\r\nFrom: \"A;b\" <sip:a@h;tag=inside>;tag=outer\r\nTo: sip:b@h;tag=plain\r\n\r\n"))
        #expect(m.fromTag == "outer")
        #expect(m.toTag == "plain")
    }
}

@Suite struct SIPURITests {
    /// `SIPURI.user(of:)` is the analysis' shortcut to a URI's user (RFC 3261 §19.1.1: userinfo before
    /// the last `@`, escapes decoded; a `tel:` URI's number): it and the whole parse must name the
    /// same user, nil for what is no SIP URI.
    @Test func userOfAndTheWholeParseNameTheSameUser() {
        let cases: [(String, String??)] = [
            ("sip:44@10.0.0.2:5062;transport=tcp", "44"), ("SIP:44@host", "44"), ("Sips:%2A602co1@pbx;user=phone", "*602co1"),
            ("tel:+4930123;phone-context=x", "+4930123"), ("\"Desk\" <sip:44@[2001:db8::1]:5061>;tag=9", "44"),
            ("<sip:host.example>", .some(nil)), ("sip:a@b@c", "a@b"), ("  sip:%zz@h  ", "%zz"), ("sipx:44@h", nil),
            ("mailto:a@b", nil), ("sip44@h", nil), ("", nil), ("<sip:44@h", "44"), ("sip:@h", ""),
            ("sip:44@h?subject=x@y", "44"), ("sip:é%C3%A9@h", "éé"), ("tel:", ""), ("SIPS:x@y;lr", "x"),
        ]
        for (text, user) in cases {
            #expect(SIPURI.user(of: text) == user, "\(text)")
            #expect(SIPURI(text).map(\.user) == user, "\(text)")
        }
    }

    @Test func userHostPortAndParameters() throws {
        let u = try #require(SIPURI("sip:44@10.0.0.2:5062;transport=tcp;line=abc123;lr"))
        #expect(u.scheme == "sip")
        #expect(u.user == "44")
        #expect(u.host == "10.0.0.2")
        #expect(u.port == 5062)
        #expect(u.parameters["transport"] == "tcp")
        #expect(u.parameters["line"] == "abc123")
        #expect(u.parameters["lr"] == "")
    }

    @Test func noUserNoPort() throws {
        let u = try #require(SIPURI("sip:pbx.example.com"))
        #expect(u.user == nil)
        #expect(u.host == "pbx.example.com")
        #expect(u.port == nil)
    }

    @Test func ipv6HostInBrackets() throws {
        let u = try #require(SIPURI("sip:44@[2001:db8::2]:5070;transport=udp"))
        #expect(u.user == "44")
        #expect(u.host == "2001:db8::2")
        #expect(u.port == 5070)
        let bare = try #require(SIPURI("sips:[::1]"))
        #expect(bare.host == "::1" && bare.port == nil && bare.scheme == "sips")
    }

    @Test func nameAddrWithDisplayName() throws {
        let u = try #require(SIPURI("\"Reception, Desk\" <sip:100@pbx.local;line=x9>;tag=77"))
        #expect(u.user == "100")
        #expect(u.host == "pbx.local")
        #expect(u.parameters["line"] == "x9")
        #expect(u.parameters["tag"] == nil)      // a header parameter, not the URI's
        #expect(u.raw == "sip:100@pbx.local;line=x9")
        let plain = try #require(SIPURI("Bob <sip:bob@h:5060>"))
        #expect(plain.user == "bob" && plain.port == 5060)
    }

    @Test func telURI() throws {
        let u = try #require(SIPURI("tel:+49-30-123456;phone-context=example.com"))
        #expect(u.scheme == "tel")
        #expect(u.user == "+49-30-123456")
        #expect(u.parameters["phone-context"] == "example.com")
    }

    @Test func escapedUserAndHeaders() throws {
        let u = try #require(SIPURI("sip:%2A44@h?subject=x"))
        #expect(u.user == "*44")
        #expect(u.host == "h")
    }

    @Test func rejects() {
        #expect(SIPURI("http://example.com") == nil)
        #expect(SIPURI("no scheme here") == nil)
        #expect(SIPURI("") == nil)
        #expect(SIPURI("<>") == nil)
        #expect(SIPURI("sip:a@h:99999999999999999999")?.port == nil)
    }
}

@Suite struct BodyReadingTests {
    func read(_ body: String, _ declared: DeclaredLength, _ transport: TransportKind = .udp, truncated: Bool = false)
        -> (effective: String, codes: [String]) {
        let r = BodyReading.read(body: bytes(body), declared: declared, transport: transport, truncatedByCapture: truncated, frame: 3)
        #expect(r.diagnostics.allSatisfy { $0.frame == 3 })
        return (r.effective.text, r.diagnostics.map(\.code))
    }

    @Test func udpEqual() {
        let r = read("hello", .value(5))
        #expect(r.effective == "hello" && r.codes.isEmpty)
    }

    @Test func udpMoreBytesThanContentLength() {
        let r = read("helloEXTRA", .value(5))
        #expect(r.effective == "hello")
        #expect(r.codes == ["content-length-mismatch"])
    }

    @Test func udpFewerBytes() {
        let r = read("hel", .value(5))
        #expect(r.effective == "hel")
        #expect(r.codes == ["content-length-mismatch"])
    }

    @Test func udpFewerBecauseTheCaptureCutIt() {
        let r = read("hel", .value(5), truncated: true)
        #expect(r.effective == "hel")
        #expect(r.codes == ["capture-truncated"])
    }

    @Test func udpAbsentMeansTheRestOfTheDatagram() {
        let r = read("all of it", .absent)
        #expect(r.effective == "all of it" && r.codes.isEmpty)
    }

    @Test func tcpAbsentIsMissing() {
        let r = read("x", .absent, .tcp)
        #expect(r.codes == ["content-length-missing"])
    }

    @Test func tcpMoreBytesThanContentLength() {
        let r = read("helloEXTRA", .value(5), .tcp)
        #expect(r.effective == "hello" && r.codes == ["content-length-mismatch"])
    }

    @Test func invalidContentLength() {
        let r = read("x", .invalid("abc"))
        #expect(r.codes == ["content-length-invalid"])
        #expect(r.effective == "x")
    }

    @Test func hugeContentLengthNeverTraps() {
        let r = read("short", .value(Int.max))
        #expect(r.codes == ["content-length-mismatch"])
        #expect(r.effective == "short")
    }
}
