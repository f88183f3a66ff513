import Testing
@testable import Buttons
import TestSupport

@Suite struct ContentTypeTests {
    @Test(arguments: [
        ("application/x-buttons", true), ("Application/X-Buttons", true),
        (" application/x-buttons ; charset=utf-8", true), ("application/x-buttons;", true),
        ("application/x-buttons-extra", false), ("text/plain", false), ("", false),
        ("application/sdp", false),
    ])
    func contentType(value: String, expected: Bool) {
        #expect(ButtonsDocument.isButtonsContentType(value) == expected)
    }

    @Test(arguments: [
        ("k=1\r\nc=on\r\n", true), ("\r\n\r\nc=on", true), ("  l=x", true), ("k=1", true),
        ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n", false), ("<?xml version=\"1.0\"?>", false),
        ("", false), ("k", false), ("kk=1", false), ("\n\n", false), ("hello world", false),
    ])
    func looksLikeButtons(text: String, expected: Bool) {
        #expect(ButtonsDocument.looksLikeButtons(Array(text.utf8)) == expected)
    }
}
