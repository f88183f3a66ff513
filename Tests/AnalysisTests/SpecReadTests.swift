@testable import SIPCapture
import Base
import Capture
import SIP
import Testing
@testable import Analysis
import TestSupport

/// Issue 15 items 2, 13 and 14 in the analysis layer, each test quoting the seed sentence it follows.
@Suite struct SpecReadTests {
    let base = WhyTests()

    func why(_ messages: [CapturedMessage], key: String = "3") -> WhyReport { base.why(messages, key: key) }

    // Item 2.
    @Test("\"If an entry is not present, then a default value shall apply. The previously stored value for that property will be overwritten in any case.\"")
    func aDescriptionWithoutLightIsThePBXsIntent() {
        let omitted = why(WhyTests.registration + base.sent("k=3\r\nc=on\r\nl=Night\r\n", frame: 3, at: 1)
                          + base.sent("k=3\r\nl=Night\r\n", frame: 5, at: 2))
        let explicit = why(WhyTests.registration + base.sent("k=3\r\nc=on\r\nl=Night\r\n", frame: 3, at: 1)
                           + base.sent("k=3\r\nc=off\r\nl=Night\r\n", frame: 5, at: 2))
        // The same final state, the same verdict: accepted, about the last document.
        for r in [omitted, explicit] {
            #expect(r.verdict == .accepted)
            #expect(r.firstBroken == nil)
            #expect(r.document?.frame == 5)
        }
        #expect(omitted.notes.count == 1)
        #expect(omitted.notes.first?.contains("no c=, so off") == true)
        #expect(omitted.notes.first?.contains("repeat c= to keep it lit") == true)
        #expect(explicit.notes.isEmpty)
    }

    @Test("The spec's walk-through clears a lamp with k=3 l=42: no note when more than the light changed")
    func theSpecsClearingIsNoNote() {
        let r = why(WhyTests.registration
                    + base.sent("k=3\r\nl=42\r\nc=pickup\r\ni=19781234567\r\nn=*6013\r\na=invite\r\n", frame: 3, at: 1)
                    + base.sent("k=3\r\nl=42\r\n", frame: 5, at: 2))
        #expect(r.verdict == .accepted)
        #expect(r.notes.isEmpty)
    }

    // Item 13. Spec: "The owner of extension 404 decides to seize the line and sends a message to the registrar"
    @Test("\"The owner of extension 404 decides to seize the line and sends a message to the registrar\": without Proxy-Require it is still 404's press")
    func aPressWithoutProxyRequireIsThePhones() {
        let phone404 = Endpoint(address: IPAddress([10, 0, 0, 4]), port: 2049)
        let press = Fix.request("MESSAGE", uri: "sip:404@lab.example.local", fromUser: "404", toUser: "*602co1",
                                host: "lab.example.local", extra: ["Content-Type: application/x-buttons"],
                                body: "k=1\r\na=seize\r\nt=<urn:uuid:074b68b9-bff6-450c-bc50-4c44de86c11f>\r\n",
                                frame: 1, at: 0, from: phone404, to: Fix.pbx)
        #expect(PhoneParty.direction(of: press) == .fromPhone)
        #expect(PhoneParty.phone(of: press)?.user == "404")
        #expect(PhoneParty.missingProxyRequire(press)?.code == "press-without-proxy-require")
        // A document from the registrar (From = To = the phone) stays a document to the phone.
        let doc = Fix.buttons("k=1\r\nc=on\r\n", key44: "sip:404@10.0.0.4:2049", branch: "z9hG4bK-d", cseq: 2, frame: 2, at: 1, toUser: "404",
                              to: phone404)
        #expect(PhoneParty.direction(of: doc) == .toPhone)
        #expect(PhoneParty.missingProxyRequire(doc) == nil)
        // And in the timeline, no phone is named after the key's number.
        var timeline = KeyTimeline()
        timeline.update(press, exchange: nil)
        timeline.update(doc, exchange: nil)
        #expect(timeline.phones.map(\.phone.user) == ["404"])
    }

    // Item 14. mod_snom: "Snom firmware 8.x: If you want to actually have the phone flash the second line you must
    // set the line type to 'button' and the Number to the number of the line eg. '2'…"
    @Test("The User-Agent names the model and firmware: snom370/8.7.5.35, snomD785/10.1.54.13")
    func userAgentParsing() {
        let a = PhoneDevice(userAgent: "snom370/8.7.5.35", frame: 1)
        #expect(a.model == "snom370" && a.firmware == "8.7.5.35" && a.series == .eight)
        let b = PhoneDevice(userAgent: "snomD785/10.1.54.13", frame: 1)
        #expect(b.model == "snomD785" && b.firmware == "10.1.54.13" && b.series == .other(major: 10))
        let c = PhoneDevice(userAgent: "snom360-SIP 6.5.20", frame: 1)
        #expect(c.model == "snom360" && c.firmware == "6.5.20")
        let d = PhoneDevice(userAgent: "snom320/7.3.30 (beta)", frame: 1)
        #expect(d.series == .seven)
        let sipp = PhoneDevice(userAgent: "sipp-phone/3.6.1 (ButtonScope capture)", frame: 1)
        #expect(sipp.model == nil && sipp.series == nil)
    }

    func acceptedAdvice(userAgent: String?) -> String {
        let r0 = Fix.register(branch: "z9hG4bK-reg", cseq: 1, frame: 1, at: 0)
        var reg = r0
        if let userAgent {
            reg = Fix.request("REGISTER", uri: "sip:pbx.example", branch: "z9hG4bK-reg", callID: "reg-44", cseq: 1,
                              extra: ["Contact: <sip:44@10.0.0.44:5060;line=abc>", "Expires: 3600", "Supported: buttons",
                                      "User-Agent: \(userAgent)"], frame: 1, at: 0, from: Fix.phone44, to: Fix.pbx)
        }
        let ok = Fix.response(to: reg, 200, extra: ["Contact: <sip:44@10.0.0.44:5060;line=abc>;expires=3600", "Require: buttons"], frame: 2, at: 0.01)
        let r = why([reg, ok] + base.sent("k=3\r\nc=on\r\n"))
        #expect(r.verdict == .accepted)
        return r.nextStep
    }

    @Test("mod_snom: \"Snom firmware 8.x: … you must set the line type to 'button' and the Number to the number of the line\"")
    func adviceForFirmware8() {
        let s = acceptedAdvice(userAgent: "snom370/8.7.5.35")
        #expect(s.contains("snom370, firmware 8.7.5.35"))
        #expect(s.contains("type must be \"button\" AND its Number set to the key index (3)"))
        #expect(!s.contains("7.x"))
    }

    @Test("mod_snom: \"Snom firmware 7.x: If you want to actually have the phone flash the second line you must set the line type to 'button'.\"")
    func adviceForFirmware7() {
        let s = acceptedAdvice(userAgent: "snom320/7.3.30")
        #expect(s.contains("on firmware 7.x the key's type must be \"button\""))
        #expect(!s.contains("Number"))
    }

    @Test func adviceForNewerFirmwareAndWhenItCannotTell() {
        let newer = acceptedAdvice(userAgent: "snomD785/10.1.54.13")
        #expect(newer.contains("known only for firmware 7.x") && newer.contains("10.x"))
        let unknown = acceptedAdvice(userAgent: "sipp-phone/3.6.1")
        #expect(unknown.contains("names no Snom model") && unknown.contains("does not tell its firmware"))
        let none = acceptedAdvice(userAgent: nil)
        #expect(none.contains("no User-Agent from 44") && none.contains("On firmware 8.x"))
    }

    @Test("A phone's answers carry its User-Agent too")
    func userAgentFromAnswers() {
        let doc = Fix.buttons("k=3\r\nc=on\r\n", branch: "z9hG4bK-d", cseq: 3, frame: 3, at: 1)
        let ok = Fix.response(to: doc, 200, extra: ["User-Agent: snomD785/10.1.54.13"], frame: 4, at: 1.01)
        var t = ExchangeTracker()
        [doc, ok].forEach { t.add($0) }
        var devices = PhoneDevices()
        for e in t.finish(captureEnd: Fix.time(10)) { devices.add(e) }
        #expect(devices.device(of: "44")?.model == "snomD785")
        #expect(devices.device(of: "44")?.frame == 4)
    }
}
