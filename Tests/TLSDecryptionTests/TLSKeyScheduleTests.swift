import Testing
@testable import TLSDecryption
import TestSupport

/// Known answers: RFC 8448 §3 (a TLS 1.3 trace) and the TLS 1.2 PRF vector the IETF TLS WG published.
@Suite struct TLSKeyScheduleTests {
    let serverHandshakeSecret = [UInt8](hex: "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38")

    @Test func rfc8448ServerHandshakeKeyAndIV() throws {
        let suite = try #require(TLSCipherSuite.named(0x1301))
        let k = TLS13KeySchedule.trafficKeys(suite, secret: serverHandshakeSecret)
        #expect(k.key == [UInt8](hex: "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"))
        #expect(k.iv == [UInt8](hex: "5d 31 3e b2 67 12 76 ee 13 00 0b 30"))
    }

    @Test func rfc8448ExpandLabelWithContext() {
        // Derive-Secret(handshake secret, "s hs traffic", ClientHello…ServerHello).
        let handshakeSecret = [UInt8](hex: "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac")
        let transcript = [UInt8](hex: "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8")
        #expect(TLS13KeySchedule.expandLabel(.sha256, secret: handshakeSecret, label: "s hs traffic", context: transcript, length: 32)
                == serverHandshakeSecret)
        let empty = [UInt8](hex: "e3 b0 c4 42 98 fc 1c 14 9a fb f4 c8 99 6f b9 24 27 ae 41 e4 64 9b 93 4c a4 95 99 1b 78 52 b8 55")
        #expect(TLS13KeySchedule.expandLabel(.sha256, secret: handshakeSecret, label: "derived", context: empty, length: 32)
                == [UInt8](hex: "43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4"))
    }

    @Test func keyUpdateChangesTheSecret() {
        let next = TLS13KeySchedule.nextSecret(.sha256, after: serverHandshakeSecret)
        #expect(next.count == 32 && next != serverHandshakeSecret)
        #expect(next == TLS13KeySchedule.expandLabel(.sha256, secret: serverHandshakeSecret, label: "traffic upd", length: 32))
    }

    @Test func tls12PRFSHA256Vector() {
        let out = TLS12KeySchedule.prf(.sha256, secret: [UInt8](hex: "9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35"),
                                       label: "test label", seed: [UInt8](hex: "a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c"), length: 100)
        #expect(out == [UInt8](hex: """
            e3 f2 29 ba 72 7b e1 7b 8d 12 26 20 55 7c d4 53 c2 aa b2 1d 07 c3 d4 95 32 9b 52 d4 e6 1e db 5a
            6b 30 17 91 e9 0d 35 c9 c9 a4 6b 4e 14 ba f9 af 0f a0 22 f7 07 7d ef 17 ab fd 37 97 c0 56 4b ab
            4f bc 91 66 6e 9d ef 9b 97 fc e3 4f 79 67 89 ba a4 80 82 d1 22 ee 42 c5 a7 2e 5a 51 10 ff f7 01
            87 34 7b 66
            """))
    }

    @Test func keyBlockSizesPerCipher() throws {
        let master = [UInt8](repeating: 7, count: 48), cr = [UInt8](repeating: 1, count: 32), sr = [UInt8](repeating: 2, count: 32)
        let gcm = TLS12KeySchedule.keys(try #require(TLSCipherSuite.named(0xC030)), master: master, clientRandom: cr, serverRandom: sr)
        #expect(gcm.client.key.count == 32 && gcm.client.iv.count == 4 && gcm.client.macKey.isEmpty)
        let cbc = TLS12KeySchedule.keys(try #require(TLSCipherSuite.named(0xC028)), master: master, clientRandom: cr, serverRandom: sr)
        #expect(cbc.client.macKey.count == 48 && cbc.server.key.count == 32 && cbc.client.iv.isEmpty)
        #expect(cbc.client.key != cbc.server.key)
    }

    @Test func suitesAreNamed() {
        #expect(TLSCipherSuite.describe(0x1303) == "TLS_CHACHA20_POLY1305_SHA256 (0x1303)")
        #expect(TLSCipherSuite.describe(0x000A) == "cipher suite 0x000A")
    }
}
