import TLSKeys
import Capture
import Testing
@testable import TLSDecryption
import TestSupport

/// A connection played into the decoder, record by record, with what came out.
struct DecoderRun {
    var decoder = TLSConnectionDecoder(name: "10.0.0.1:40000 → 10.0.0.2:5061", firstFrame: 1)
    var keys: TLSKeyring
    var frame = 0
    var text: [TLSPeer: String] = [:]
    var unread: [(Int, String)] = []
    var diagnostics: [String] = []
    var lost = 0

    init(secrets: TLSSecrets) { keys = TLSKeyring(secrets: secrets) }

    mutating func send(_ peer: TLSPeer, _ bytes: [UInt8], chunk: Int = .max) {
        var at = 0
        while at < bytes.count {
            frame += 1
            let end = min(bytes.count, at + chunk)
            var outputs: [TLSConnectionDecoder.Output] = []
            decoder.receive(bytes[at..<end], from: peer, frame: frame, keys: &keys) { outputs.append($0) }
            outputs.forEach { collect($0) }
            at = end
        }
    }

    mutating func gap(_ peer: TLSPeer, missing: Int, truncated: Bool) {
        frame += 1
        var outputs: [TLSConnectionDecoder.Output] = []
        decoder.gap(missing: missing, from: peer, frame: frame, truncatedByCapture: truncated, keys: &keys) { outputs.append($0) }
        outputs.forEach { collect($0) }
    }

    private mutating func collect(_ o: TLSConnectionDecoder.Output) {
        switch o {
        case .applicationData(let b, let p, _): text[p, default: ""] += String(decoding: b, as: UTF8.self)
        case .unread(let f, let r): unread.append((f, r))
        case .diagnostic(let d): diagnostics.append(d.code)
        case .lost: lost += 1
        }
    }

    var summary: [String] { decoder.summary().map(\.code) }
    var summaryText: String { decoder.summary().map(\.message).joined(separator: "\n") }
}

@Suite struct TLSConnectionDecoderTests {
    static let clientRandom = [UInt8](repeating: 0xC1, count: 32)
    static let serverRandom = [UInt8](repeating: 0x5E, count: 32)
    static let cts = [UInt8](repeating: 0xA1, count: 32), sts = [UInt8](repeating: 0xB2, count: 32)
    static let chts = [UInt8](repeating: 0xA0, count: 32), shts = [UInt8](repeating: 0xB0, count: 32)
    static let master = (0..<48).map { UInt8($0) }

    static func keyLog13(_ random: [UInt8] = clientRandom, handshake: Bool = true, suiteBytes: Int = 32) -> String {
        let h = TLSConnectionDecoder.hex
        var s = "# a comment\nCLIENT_TRAFFIC_SECRET_0 \(h(random)) \(h(cts))\nSERVER_TRAFFIC_SECRET_0 \(h(random)) \(h(sts))\n"
        if handshake { s += "CLIENT_HANDSHAKE_TRAFFIC_SECRET \(h(random)) \(h(chts))\nSERVER_HANDSHAKE_TRAFFIC_SECRET \(h(random)) \(h(shts))\n" }
        return s
    }

    static func secrets(_ log: String) -> TLSSecrets {
        var s = TLSSecrets()
        s.addKeyLog(log)
        return s
    }

    /// ClientHello, ServerHello, the server's encrypted flight ending in Finished, the client's
    /// Finished, then `messages` from the server under the application key.
    static func tls13(_ run: inout DecoderRun, suite id: UInt16 = 0x1301, messages: [String], keyUpdateBefore: Int? = nil) {
        let suite = TLSCipherSuite.named(id)!
        run.send(.client, TLSTestPeer.clientHello(random: clientRandom, suites: [0x1301, 0x1302, 0x1303]))
        run.send(.server, TLSTestPeer.serverHello(random: serverRandom, suite: id, tls13: true) + TLSTestPeer.changeCipherSpec)
        let ee = TLSFraming.handshake(8, [0, 0]), fin = TLSFraming.handshake(20, [UInt8](repeating: 9, count: 32))
        run.send(.server, TLSTestPeer.seal13(suite, secret: shts, seq: 0, type: 22, ee)
                 + TLSTestPeer.seal13(suite, secret: shts, seq: 1, type: 22, fin))
        run.send(.client, TLSTestPeer.changeCipherSpec + TLSTestPeer.seal13(suite, secret: chts, seq: 0, type: 22, fin))
        var secret = sts, seq: UInt64 = 0
        for (i, m) in messages.enumerated() {
            if i == keyUpdateBefore {
                run.send(.server, TLSTestPeer.seal13(suite, secret: secret, seq: seq, type: 22, TLSFraming.handshake(24, [0])))
                secret = TLS13KeySchedule.nextSecret(suite.hash, after: secret)
                seq = 0
            }
            run.send(.server, TLSTestPeer.seal13(suite, secret: secret, seq: seq, type: 23, Array(m.utf8)), chunk: 50)
            seq += 1
        }
        run.send(.client, TLSTestPeer.seal13(suite, secret: cts, seq: 0, type: 23, Array("SIP/2.0 200 OK\r\n".utf8)))
    }

    @Test(arguments: [UInt16(0x1301), 0x1302, 0x1303])
    func tls13SuitesWithKeyUpdate(_ id: UInt16) {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13(suiteBytes: id == 0x1302 ? 48 : 32)))
        Self.tls13(&run, suite: id, messages: ["one ", "two ", "three"], keyUpdateBefore: 2)
        #expect(run.text[.server] == "one two three")
        #expect(run.text[.client] == "SIP/2.0 200 OK\r\n")
        #expect(run.diagnostics.isEmpty && run.unread.isEmpty && run.summary.isEmpty)
        #expect(run.decoder.isTLS13 && run.decoder.cipherSuite == id)
    }

    @Test func tls13WithOnlyTheApplicationSecrets() {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13(handshake: false)))
        Self.tls13(&run, messages: ["hello"])
        #expect(run.text[.server] == "hello")
        #expect(run.text[.client] == "SIP/2.0 200 OK\r\n")
        #expect(run.diagnostics.isEmpty)
    }

    @Test func noKeysSaysWhichLineWouldUnlockIt() {
        var run = DecoderRun(secrets: TLSSecrets())
        Self.tls13(&run, messages: ["a", "b"])
        #expect(run.text.isEmpty)
        #expect(run.summary == ["tls-unreadable"])
        #expect(run.summaryText.contains(TLSConnectionDecoder.hex(Self.clientRandom)))
        #expect(run.summaryText.contains("TLS_AES_128_GCM_SHA256 (0x1301)"))
        #expect(run.summaryText.contains("records left unread"))
        #expect(run.unread.allSatisfy { $0.1 == "TLS without keys" } && !run.unread.isEmpty)
    }

    @Test func keyLogLineForAnotherConnectionIsNoKey() {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13([UInt8](repeating: 0x77, count: 32))))
        Self.tls13(&run, messages: ["a"])
        #expect(run.text.isEmpty)
        #expect(run.summary == ["tls-unreadable"])
    }

    @Test func truncatedKeyLogKeepsTheLinesBeforeTheCut() {
        var log = Self.keyLog13(handshake: false)
        log.removeLast(40) // the file was cut inside SERVER_TRAFFIC_SECRET_0
        var secrets = TLSSecrets()
        let reading = secrets.addKeyLog(log)
        #expect(reading.badLineCount == 1)
        var run = DecoderRun(secrets: secrets)
        Self.tls13(&run, messages: ["lost"])
        #expect(run.text[.client] == "SIP/2.0 200 OK\r\n") // the client's secret survived
        #expect(run.text[.server] == nil)
        #expect(run.summary == ["tls-unreadable"])
    }

    @Test func wrongKeysAreSaidAndNeverPassedOn() {
        let h = TLSConnectionDecoder.hex
        let wrong = "CLIENT_TRAFFIC_SECRET_0 \(h(Self.clientRandom)) \(h(Self.sts))\nSERVER_TRAFFIC_SECRET_0 \(h(Self.clientRandom)) \(h(Self.cts))\n"
        var run = DecoderRun(secrets: Self.secrets(wrong))
        Self.tls13(&run, messages: ["secret", "more"])
        #expect(run.text.isEmpty)
        // Too few records to tell handshake from wrong keys on the way: the summary says it.
        #expect(run.summary == ["tls-wrong-keys", "tls-wrong-keys"])
        // With the handshake secrets too, each record that fails is counted as it comes.
        var full = DecoderRun(secrets: Self.secrets(Self.keyLog13() + "SERVER_TRAFFIC_SECRET_0 \(h(Self.clientRandom)) \(h(Self.cts))\n"))
        Self.tls13(&full, messages: ["secret", "more"])
        #expect(full.text[.server] == nil)
        #expect(full.diagnostics == ["tls-wrong-keys"])
        #expect(full.unread.filter { $0.1 == "TLS with wrong keys" }.count == 2)
    }

    @Test func garbageRecordThenTheNextGoodOneIsRead() {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13()))
        let suite = TLSCipherSuite.named(0x1301)!
        Self.tls13(&run, messages: ["first "])
        // A record of random bytes (a well-formed header), then the real second record.
        run.send(.server, TLSFraming.record(23, (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        run.send(.server, TLSTestPeer.seal13(suite, secret: Self.sts, seq: 1, type: 23, Array("second".utf8)))
        #expect(run.text[.server] == "first second")
        #expect(run.diagnostics == ["tls-wrong-keys"])
        // Bytes that are no record header at all, then a good record.
        run.send(.server, [0x99, 0x42, 0x00] + TLSTestPeer.seal13(suite, secret: Self.sts, seq: 2, type: 23, Array(" third".utf8))
                 + TLSTestPeer.seal13(suite, secret: Self.sts, seq: 3, type: 23, Array(" fourth".utf8)))
        #expect(run.diagnostics.contains("tls-malformed-record"))
        #expect(run.text[.server] == "first second third fourth")
    }

    @Test func recordLongerThanThePacketAndTheSnapLength() {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13()))
        let suite = TLSCipherSuite.named(0x1301)!
        Self.tls13(&run, messages: ["one "])
        // A record whose last 100 bytes the snap length cut: lost alone, the next one is read.
        let cut = TLSTestPeer.seal13(suite, secret: Self.sts, seq: 1, type: 23, [UInt8](repeating: 0x41, count: 400))
        run.send(.server, Array(cut.dropLast(100)))
        run.gap(.server, missing: 100, truncated: true)
        run.send(.server, TLSTestPeer.seal13(suite, secret: Self.sts, seq: 2, type: 23, Array("two".utf8)))
        #expect(run.text[.server] == "one two")
        #expect(run.diagnostics == ["tls-record-truncated"])
        // A hole past the record's end (whole records lost): found again, numbers guessed.
        let lost = TLSTestPeer.seal13(suite, secret: Self.sts, seq: 3, type: 23, [UInt8](repeating: 0x42, count: 300))
        run.send(.server, Array(lost.prefix(50)))
        let skipped = TLSTestPeer.seal13(suite, secret: Self.sts, seq: 4, type: 23, Array("never seen".utf8))
        run.gap(.server, missing: lost.count - 50 + skipped.count, truncated: false)
        run.send(.server, TLSTestPeer.seal13(suite, secret: Self.sts, seq: 5, type: 23, Array(" three".utf8))
                 + TLSTestPeer.seal13(suite, secret: Self.sts, seq: 6, type: 23, Array(" four".utf8)))
        #expect(run.text[.server] == "one two three four")
    }

    @Test func captureStartingMidConnectionIsSaidSo() {
        var run = DecoderRun(secrets: Self.secrets(Self.keyLog13()))
        run.send(.server, TLSFraming.record(23, [UInt8](repeating: 1, count: 40)))
        #expect(run.summary == ["tls-unreadable"])
        #expect(run.summaryText.contains("began inside it"))
    }

    @Test func unsupportedSuiteIsNamed() {
        var run = DecoderRun(secrets: Self.secrets("CLIENT_RANDOM \(TLSConnectionDecoder.hex(Self.clientRandom)) \(TLSConnectionDecoder.hex(Self.master))"))
        run.send(.client, TLSTestPeer.clientHello(random: Self.clientRandom, suites: [0x000A]))
        run.send(.server, TLSTestPeer.serverHello(random: Self.serverRandom, suite: 0x000A, tls13: false) + TLSTestPeer.changeCipherSpec
                 + TLSFraming.record(22, [UInt8](repeating: 3, count: 40)) + TLSFraming.record(23, [UInt8](repeating: 3, count: 40)))
        #expect(run.summary == ["tls-unsupported-cipher"])
        #expect(run.summaryText.contains("0x000A"))
    }

    // MARK: TLS 1.2

    static func tls12(_ run: inout DecoderRun, suite id: UInt16, etm: Bool, ems: Bool, messages: [String]) {
        let suite = TLSCipherSuite.named(id)!
        run.send(.client, TLSTestPeer.clientHello(random: clientRandom, suites: [id]))
        run.send(.server, TLSTestPeer.serverHello(random: serverRandom, suite: id, tls13: false, extendedMasterSecret: ems, encryptThenMAC: etm))
        let k = TLS12KeySchedule.keys(suite, master: master, clientRandom: clientRandom, serverRandom: serverRandom)
        let fin = TLSFraming.handshake(20, [UInt8](repeating: 1, count: 12))
        run.send(.client, TLSTestPeer.changeCipherSpec + TLSTestPeer.seal12(suite, keys: k.client, encryptThenMAC: etm, seq: 0, type: 22, fin))
        run.send(.server, TLSTestPeer.changeCipherSpec + TLSTestPeer.seal12(suite, keys: k.server, encryptThenMAC: etm, seq: 0, type: 22, fin))
        for (i, m) in messages.enumerated() {
            run.send(.server, TLSTestPeer.seal12(suite, keys: k.server, encryptThenMAC: etm, seq: UInt64(i + 1), type: 23, Array(m.utf8)), chunk: 33)
        }
    }

    @Test(arguments: [(UInt16(0xC02F), false), (0xC030, false), (0xCCA8, false), (0xC013, true), (0xC013, false),
                      (0xC027, false), (0xC028, true), (0x003D, false)])
    func tls12Suites(_ id: UInt16, _ etm: Bool) {
        let h = TLSConnectionDecoder.hex
        var run = DecoderRun(secrets: Self.secrets("CLIENT_RANDOM \(h(Self.clientRandom)) \(h(Self.master))\n"))
        Self.tls12(&run, suite: id, etm: etm, ems: true, messages: ["MESSAGE one ", "MESSAGE two"])
        #expect(run.text[.server] == "MESSAGE one MESSAGE two")
        #expect(run.diagnostics.isEmpty && run.summary.isEmpty && run.unread.isEmpty)
        #expect(run.decoder.recordsDecrypted == 4)
    }

    @Test func tls12WrongMasterSecret() {
        let h = TLSConnectionDecoder.hex
        var run = DecoderRun(secrets: Self.secrets("CLIENT_RANDOM \(h(Self.clientRandom)) \(h([UInt8](repeating: 1, count: 48)))\n"))
        Self.tls12(&run, suite: 0xC013, etm: false, ems: false, messages: ["x"])
        #expect(run.text.isEmpty)
        #expect(run.diagnostics == ["tls-wrong-keys", "tls-wrong-keys"])
    }
}
