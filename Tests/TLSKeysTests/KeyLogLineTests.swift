import TLSKeys
import Testing

/// Key log lines that cannot be a key are counted as bad lines, never taken: a TLS 1.2 master
/// secret is 48 bytes, a TLS 1.3 secret 32 or 48 (the suite's hash); a file copied while a TLS
/// stack was still writing it ends inside a line, and that is said.
@Suite struct KeyLogLineTests {
    static let random = String(repeating: "ab", count: 32)

    @Test func secretsOfTheWrongLengthAreBadLines() {
        var s = TLSSecrets()
        let text = [
            "CLIENT_RANDOM \(Self.random) \(String(repeating: "11", count: 48))",       // good
            "CLIENT_RANDOM \(Self.random) \(String(repeating: "22", count: 24))",       // half a master secret
            "CLIENT_TRAFFIC_SECRET_0 \(Self.random) \(String(repeating: "33", count: 32))", // good (SHA-256)
            "SERVER_TRAFFIC_SECRET_0 \(Self.random) \(String(repeating: "44", count: 48))", // good (SHA-384)
            "SERVER_HANDSHAKE_TRAFFIC_SECRET \(Self.random) \(String(repeating: "55", count: 20))", // no hash is 20 bytes here
            "SOME_FUTURE_LABEL \(Self.random) 6677",                                     // unknown label: kept
        ].joined(separator: "\n") + "\n"
        let reading = s.addKeyLog(text)
        #expect(reading.added == 4)
        #expect(reading.badLines == [2, 5])
        #expect(reading.cutInsideLine == nil, "the file ends with a line end")
        #expect(s.secret("CLIENT_RANDOM", clientRandom: [UInt8](repeating: 0xab, count: 32)) == [UInt8](repeating: 0x11, count: 48))
    }

    @Test func aFileEndingInsideALineIsSaidSo() {
        var s = TLSSecrets()
        let good = "CLIENT_RANDOM \(Self.random) \(String(repeating: "11", count: 48))\n"
        let reading = s.addKeyLog("# comment\n" + good + "CLIENT_RANDOM \(Self.random) 1122")
        #expect(reading.added == 1 && reading.badLines == [3] && reading.cutInsideLine == 3)
        // A good last line without a line end is no cut.
        var t = TLSSecrets()
        #expect(t.addKeyLog(String(good.dropLast())).cutInsideLine == nil)
    }
}
