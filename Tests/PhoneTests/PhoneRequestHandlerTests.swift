import Buttons
@testable import Phone
import SIP
import Testing
import TestSupport

/// The phone's decisions without sockets: which status, which document, what the Via says.
struct PhoneRequestHandlerTests {
    let handler = PhoneRequestHandler(user: "44", toTag: "t1")

    func parse(_ text: String) throws -> SIPMessage {
        let bytes = Array(text.utf8)
        let end = try #require(SIPHeaderParser.headerEnd(bytes, from: 0))
        return try #require(SIPHeaderParser.parse(bytes[0..<end]))
    }

    func request(_ method: String, uri: String, via: String = "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport",
                 contentType: String? = "application/x-buttons") throws -> SIPMessage {
        try parse("\(method) \(uri) SIP/2.0\r\nVia: \(via)\r\nFrom: <sip:pbx@x>;tag=a\r\nTo: <sip:44@x>\r\n"
                  + "Call-ID: c1\r\nCSeq: 1 \(method)\r\n" + (contentType.map { "Content-Type: \($0)\r\n" } ?? "") + "\r\n")
    }

    @Test func theSpecsWalkThroughIsAnswered200WithTheDocument() throws {
        // The spec's "k=3 l=42" example, to sip:44@… with a line parameter.
        let r = handler.answer(try request("MESSAGE", uri: "sip:44@192.168.1.5:5060;line=abc"), body: Array("k=3\r\nl=42\r\n".utf8),
                               sourceHost: "10.0.0.1", sourcePort: 5060)
        #expect(r.response?.statusCode == 200)
        #expect(r.document?.descriptions.first?.state == KeyState(label: "42"))
    }

    @Test func anotherUserIs404AndNothingIsApplied() throws {
        let r = handler.answer(try request("MESSAGE", uri: "sip:4400@192.168.1.5"), body: Array("k=3\r\nc=on\r\n".utf8),
                               sourceHost: "10.0.0.1", sourcePort: 5060)
        #expect(r.response?.statusCode == 404)
        #expect(r.document == nil)
    }

    @Test func aMessageThatIsNotXButtonsIsAcceptedButNotApplied() throws {
        let r = handler.answer(try request("MESSAGE", uri: "sip:44@h", contentType: "text/plain"), body: Array("k=3\r\n".utf8),
                               sourceHost: "10.0.0.1", sourcePort: 5060)
        #expect(r.response?.statusCode == 200)
        #expect(r.document == nil)
    }

    @Test func ackGetsNoAnswer() throws {
        #expect(handler.answer(try request("ACK", uri: "sip:44@h"), body: [], sourceHost: "10.0.0.1", sourcePort: 5060).response == nil)
    }

    @Test func aRequestMissingCSeqIs400() throws {
        let m = try parse("MESSAGE sip:44@h SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:44@h>\r\nCall-ID: x\r\n\r\n")
        #expect(handler.answer(m, body: [], sourceHost: "10.0.0.1", sourcePort: 5060).response?.statusCode == 400)
    }

    @Test func viaGetsReceivedOnlyWhenTheSourceDiffersAndRportIsFilled() {
        // RFC 3261 §18.2.1 and RFC 3581.
        #expect(PhoneRequestHandler.stampForTest(via: "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport", host: "10.0.0.1", port: 5070)
                == "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-1;rport=5070")
        #expect(PhoneRequestHandler.stampForTest(via: "SIP/2.0/UDP pbx.example:5060;branch=z9hG4bK-1", host: "192.0.2.7", port: 5060)
                == "SIP/2.0/UDP pbx.example:5060;branch=z9hG4bK-1;received=192.0.2.7")
        #expect(PhoneRequestHandler.stampForTest(via: "SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK-1", host: "2001:db8::1", port: 40000)
                == "SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bK-1")
    }

    @Test func aToTagIsAddedOnlyWhenMissing() throws {
        let r = handler.answer(try request("OPTIONS", uri: "sip:44@h"), body: [], sourceHost: "10.0.0.1", sourcePort: 5060)
        #expect(r.response?.header("to") == "<sip:44@x>;tag=t1")
        let tagged = try parse("OPTIONS sip:44@h SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-3\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:44@h>;tag=theirs\r\nCall-ID: x\r\nCSeq: 2 OPTIONS\r\n\r\n")
        #expect(handler.answer(tagged, body: [], sourceHost: "10.0.0.1", sourcePort: 5060).response?.header("to") == "<sip:44@h>;tag=theirs")
    }

    @Test func thePanelReplacesStateAndReportsWhatChanged() {
        var panel = PhoneKeyPanel()
        let first = panel.apply(ButtonsDocument(decoding: Array("k=2\r\nc=on\r\nl=Sales\r\n".utf8)))
        #expect(first.map(\.key) == ["2"])
        #expect(first.first?.changed == ["light", "label"])
        let second = panel.apply(ButtonsDocument(decoding: Array("k=2\r\nl=Sales\r\n\r\nl=orphan\r\n".utf8)))
        #expect(second.first?.changed == ["light"])
        #expect(panel.keys == ["2": KeyState(label: "Sales")])
        // The same document again changes nothing.
        #expect(panel.apply(ButtonsDocument(decoding: Array("k=2\r\nl=Sales\r\n".utf8))).isEmpty)
    }

    @Test func listenAddressesParse() throws {
        let a = try PhoneListenAddress(parsing: "tls:[::1]:5063")
        #expect(a.transport == .tls && a.host == "::1" && a.port == 5063)
        #expect(a.description == "tls:[::1]:5063")
        for bad in ["udp:127.0.0.1", "sctp:127.0.0.1:5060", "udp::5060", "udp:127.0.0.1:70000", "udp:127.0.0.1:x"] {
            #expect(throws: PhoneError.self) { try PhoneListenAddress(parsing: bad) }
        }
    }

    @Test func aKeyPressIsTheSpecsSeizeMessage() {
        // The shared-line walk-through: To = the key's destination, Proxy-Require: buttons,
        // body k=, a=, t=<urn:uuid:…>.
        let press = PhoneOutboundRequests.keyPress(key: "1", state: KeyState(action: "seize", destination: "*602co1"),
                                                   user: "404", domain: "lab.example.local", instance: "urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f")
        guard let r = press else { Issue.record("a key with n= presses"); return }
        #expect(r.method == "MESSAGE")
        #expect(r.requestURI == "sip:404@lab.example.local")
        #expect(r.to == "<sip:*602co1@lab.example.local>")
        #expect(r.headers.contains { $0.key == "proxy-require" && $0.value == "buttons" })
        #expect(String(decoding: r.body, as: UTF8.self) == "k=1\r\na=seize\r\nt=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>\r\n")
        let uuid = PhoneOutboundRequests.randomUUID()
        #expect(uuid.count == 36 && Array(uuid)[14] == "4")
    }
}

extension PhoneRequestHandler {
    static func stampForTest(via: String, host: String, port: Int) -> String {
        stamp(via: via, host: host, port: port)
    }
}
