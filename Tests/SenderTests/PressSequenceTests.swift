import Testing
@testable import Sender
import TestSupport

/// Key sequences, their encoding, the pages actions fetch, and the hashes Digest needs, checked
/// against values from the RFCs and Snom's own examples (not against our output).
struct PressSequenceTests {
    @Test func snomsExampleParsesIntoSteps() throws {
        let s = try KeyPressSequence("enter,50,5000;cancel,50,1000")
        #expect(s.steps == [.init(key: "enter", holdMilliseconds: 50, pauseMilliseconds: 5000),
                            .init(key: "cancel", holdMilliseconds: 50, pauseMilliseconds: 1000)])
    }

    @Test func bareKeysAndHoldOnlyAreValid() throws {
        let s = try KeyPressSequence("1;2,100;#;*")
        #expect(s.steps.map(\.key) == ["1", "2", "#", "*"])
        #expect(s.steps[1].holdMilliseconds == 100 && s.steps[1].pauseMilliseconds == nil)
    }

    @Test(arguments: ["", ";", "enter;;cancel", "enter;", "enter,50,10,3", ",50", "enter,fast", "enter,-5",
                      "enter,50,", "en ter", "enter,9999999999", "enter,600001", "a\u{1b}[2J"])
    func malformedSequencesAreRejected(_ text: String) {
        #expect(throws: KeyPressSequenceError.self) { try KeyPressSequence(text) }
    }

    @Test func theErrorNamesTheStep() {
        do {
            _ = try KeyPressSequence("enter,50;cancel,soon")
            Issue.record("accepted a non-numeric hold")
        } catch {
            #expect("\(error)".contains("step 2"))
            #expect("\(error)".contains("soon"))
        }
    }

    @Test func keysArePercentEncodedAsModSnomDoes() throws {
        // RFC 3986: only ALPHA DIGIT - . _ ~ stay; # * ; , must not reach the phone as URL syntax.
        let request = KeyPressRequest.keys(try KeyPressSequence("*,50;#,50,500;enter"))
        #expect(request.target == "/command.htm?key=%2A%2C50%3B%23%2C50%2C500%3Benter")
        #expect(PercentEncoding.encode("ü~a-b_c.d") == "%C3%BC~a-b_c.d")
    }

    @Test func actionsFetchModSnomsPages() {
        #expect(KeyPressRequest.action(.reboot).target == "/advanced_update.htm?reboot=Reboot")
        #expect(KeyPressRequest.action(.reset).target == "/advanced_update.htm?reset=Reset")
        #expect(KeyPressRequest.action(.dialeddel).target == "/index.htm?dialeddel=0")
        #expect(KeyPressRequest.action(.misseddel).target == "/index.htm?misseddel=0")
        #expect(KeyPressRequest.action(.receiveddel).target == "/index.htm?receiveddel=0")
    }

    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func md5MatchesRFC1321(_ input: String, _ expected: String) {
        #expect(DigestMD5.hex(input) == expected)
    }

    @Test func digestMatchesRFC2617sWorkedExample() throws {
        // RFC 2617 §3.5: Mufasa / "Circle Of Life" → response 6629fae49393a05397450978507c4ef1.
        let challenges = HTTPAuthChallenge.parse(#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#)
        #expect(challenges.count == 1)
        let challenge = try #require(challenges.first)
        #expect(challenge.parameters["qop"] == "auth,auth-int")
        let header = try HTTPCredentials(user: "Mufasa", password: "Circle Of Life")
            .digestAuthorization(challenge, method: "GET", target: "/dir/index.html", cnonce: "0a4f113b")
        #expect(header.contains(#"response="6629fae49393a05397450978507c4ef1""#))
        #expect(header.contains("nc=00000001"))
        #expect(header.contains(#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#))
    }

    @Test func basicIsBase64OfUserColonPassword() {
        // RFC 7617 §2's example.
        #expect(HTTPCredentials(user: "Aladdin", password: "open sesame").basicAuthorization() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }

    @Test func severalChallengesInOneHeaderAreSeparated() {
        let challenges = HTTPAuthChallenge.parse(#"Basic realm="a", Digest realm="b", nonce="n,1", qop=auth"#)
        #expect(challenges.map(\.scheme) == ["Basic", "Digest"])
        #expect(challenges.last?.parameters["nonce"] == "n,1")
        #expect(challenges.last?.parameters["qop"] == "auth")
    }

    @Test func unsupportedDigestAlgorithmIsAClearError() {
        let challenge = HTTPAuthChallenge(scheme: "Digest", parameters: ["realm": "r", "nonce": "n", "algorithm": "SHA-512-256"])
        #expect(throws: HTTPAuthError.self) {
            try HTTPCredentials(user: "u", password: "p").digestAuthorization(challenge, method: "GET", target: "/", cnonce: "c")
        }
    }
}
