import Foundation
import Testing
import TestSupport
import TLSKeys

/// Decryption Secrets Blocks as `--record` writes them and the reader takes them back.
@Suite struct DecryptionSecretsBlockEncodingTests {
    static func file(_ name: String) -> String { Paths.capture("tls-keys/\(name)") }

    /// What we write is what editcap writes: same secrets back, and the same block bytes.
    @Test func encodeRoundTrips() throws {
        let keyLog = try String(contentsOfFile: Self.file("sip-tls13.keys"), encoding: .utf8)
        var secrets = TLSSecrets()
        secrets.addKeyLog(keyLog)
        let block = DecryptionSecretsBlock.encode(keyLog: secrets.keyLog(clientRandoms: secrets.clientRandoms))
        #expect(block.count % 4 == 0)
        guard case .tls(let back, let reading) = DecryptionSecretsBlock.decode(block[8..<(block.count - 4)], bigEndian: false) else {
            Issue.record("not read back as TLS secrets"); return
        }
        #expect(back == secrets)
        #expect(reading.badLineCount == 0 && reading.added == 5)
    }
}
