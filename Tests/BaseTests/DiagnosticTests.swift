import Base
import Foundation
import Testing

/// The one problem type every layer reports through: its severities order, and its JSON is the
/// stable shape scripts read.
@Suite struct DiagnosticTests {
    @Test func severitiesOrderInfoWarningError() {
        #expect(Diagnostic.Severity.info < .warning && Diagnostic.Severity.warning < .error)
        #expect([Diagnostic.Severity.error, .info, .warning].sorted() == [.info, .warning, .error])
        #expect([Diagnostic.Severity.warning, .error].max() == .error)
    }

    @Test func jsonCarriesCodeSeverityMessageAndFrame() throws {
        let d = Diagnostic("tcp-gap", .warning, "frame 9: 120 bytes missing", frame: 9)
        let object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(d)) as? [String: Any])
        #expect(object["code"] as? String == "tcp-gap")
        #expect(object["severity"] as? String == "warning")
        #expect(object["message"] as? String == "frame 9: 120 bytes missing")
        #expect(object["frame"] as? Int == 9)
        let back = try JSONDecoder().decode(Diagnostic.self, from: Data(#"{"code":"bare-lf","severity":"info","message":"m"}"#.utf8))
        #expect(back == Diagnostic("bare-lf", .info, "m"))
        #expect(back.frame == nil)
    }

    @Test func equalityIsByEveryField() {
        let d = Diagnostic("bare-lf", .info, "m", frame: 1)
        #expect(d == Diagnostic("bare-lf", .info, "m", frame: 1))
        #expect(d != Diagnostic("bare-lf", .info, "m", frame: 2))
        #expect(d != Diagnostic("bare-lf", .error, "m", frame: 1))
        #expect(Set([d, d]).count == 1)
    }
}
