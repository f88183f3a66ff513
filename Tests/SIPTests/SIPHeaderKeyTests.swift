@testable import SIP
import Testing

/// The quick header key (`SIPHeaderKey`) must give what the Unicode path (`unicodeKey`) gives: every
/// lookup (`header("call-id")`, `l:` for Content-Length) depends on it.
@Suite struct SIPHeaderKeyTests {
    static let names = ["Via", "v", "From", "f", "To", "t", "Call-ID", "CALL-ID", "i", "CSeq", "Contact", "m",
                        "Content-Type", "c", "Content-Length", "l", "Max-Forwards", "User-Agent", "Allow", "Supported",
                        "k", "Expires", "Event", "o", "Server", "Require", "Route", "Record-Route", "Accept",
                        "Allow-Events", "u", "Subscription-State", "Content-Disposition", "P-Asserted-Identity",
                        "Authorization", "WWW-Authenticate", "Subject", "s", "e", "r", "b", "x", "X-Buttons-Debug",
                        "a", "z", "Tó", "Vi", "Viaa", "to", "TO", "cseq", "X", "Content-Lengthy", "Record-Routf"]

    @Test func theQuickKeyIsTheCanonicalKey() {
        for name in Self.names {
            #expect(SIPHeader.canonicalKey(name) == SIPHeader.unicodeKey(name), "\(name)")
        }
    }

    @Test func randomASCIINamesGiveTheCanonicalKey() {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.!%*+`'~0123456789".utf8)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let length = Int(g.next() % 40) + 1
            let bytes = (0..<length).map { _ in letters[Int(g.next() % UInt64(letters.count))] }
            let name = String(decoding: bytes, as: UTF8.self)
            #expect(SIPHeader.canonicalKey(name) == SIPHeader.unicodeKey(name), "\(name)")
        }
    }

    @Test func aNonASCIIOrLongNameGoesTheLongWay() {
        #expect(Array("Tó".utf8).withUnsafeBufferPointer(SIPHeaderKey.key) == nil)
        #expect(Array(repeating: UInt8(ascii: "a"), count: SIPHeaderKey.maxLength + 1).withUnsafeBufferPointer(SIPHeaderKey.key) == nil)
        #expect([UInt8]().withUnsafeBufferPointer(SIPHeaderKey.key) == nil)
        #expect(SIPHeader.canonicalKey("Tó") == "tó")
    }

    /// A parsed line keeps its key as a number (`HeaderLines.Line.known`): the number of a name must
    /// be that of its canonical key, and a common key's number must spell it.
    @Test func aNameNumbersAsItsKey() {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.!%*+`'~0123456789".utf8)
        var g = SystemRandomNumberGenerator()
        let random = (0..<5_000).map { _ in
            String(decoding: (0..<(Int(g.next() % 24) + 1)).map { _ in letters[Int(g.next() % UInt64(letters.count))] }, as: UTF8.self)
        }
        for name in Self.names + SIPHeaderKey.known.dropFirst() + random {
            let key = SIPHeader.canonicalKey(name)
            let number = SIPHeaderKey.number(ofKey: key)
            #expect(number == 0 || SIPHeaderKey.known[Int(number)] == key, "\(name)")
            var bytes = Array(name.utf8)
            if let quick = bytes.withUnsafeMutableBufferPointer({ SIPHeaderKey.number(UnsafeBufferPointer($0)) }) {
                #expect(quick == number, "\(name)")
            }
        }
        for (i, key) in SIPHeaderKey.known.enumerated().dropFirst() { #expect(SIPHeaderKey.number(ofKey: key) == UInt8(i), "\(key)") }
        #expect(SIPHeaderKey.number(ofKey: "x-buttons-debug") == 0)
    }

    /// Lookups by any spelling find lines of common and other names alike, in order.
    @Test func linesAreFoundByTheirKey() throws {
        let text = "MESSAGE sip:44@192.0.2.44 SIP/2.0\r\nv: SIP/2.0/UDP a;branch=z9hG4bK1\r\nX-Foo: 1\r\nVia: SIP/2.0/UDP b\r\n"
            + "x-foo: 2, 3\r\nl: 0\r\nReferred-By: <sip:a@b>\r\n\r\n"
        let m = try #require(SIPHeaderParser.parse(Array(text.utf8)))
        #expect(m.headerValues("via") == ["SIP/2.0/UDP a;branch=z9hG4bK1", "SIP/2.0/UDP b"])
        #expect(m.headerValues("X-FOO") == ["1", "2", "3"])
        #expect(m.header("x-foo") == "1")
        #expect(m.header("b") == "<sip:a@b>")
        #expect(m.header("Content-Length") == "0")
        #expect(m.header("X-Bar") == nil)
        #expect(m.headers.map(\.key) == ["via", "x-foo", "via", "x-foo", "content-length", "referred-by"])
    }

    @Test func parsedHeadersCarryTheKey() throws {
        let text = "MESSAGE sip:44@192.0.2.44 SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nCALL-id: abc\r\nContent-Length: 0\r\n\r\n"
        let m = try #require(SIPHeaderParser.parse(Array(text.utf8)))
        #expect(m.headers.map(\.key) == ["via", "call-id", "content-length"])
        #expect(m.headers.map(\.name) == ["v", "CALL-id", "Content-Length"])
        #expect(m.callID == "abc")
    }
}
