import TLSKeys
import Foundation
import Testing
@testable import Capture
import TestSupport

/// pcapng Decryption Secrets Blocks: read as the reader meets them, handed out before the frame
/// that follows; bad ones reported, never fatal.
@Suite struct DecryptionSecretsBlockTests {
    static let root = Paths.root
    static func file(_ name: String) -> String { root.appendingPathComponent("captures/tls-keys/\(name)").path }

    static func randoms(ofKeyLog text: String) -> Set<[UInt8]> {
        var s = TLSSecrets()
        s.addKeyLog(text)
        return Set(s.clientRandoms)
    }

    /// The file `editcap --inject-secrets tls,sip-tls13.keys` wrote (captures/tls-keys/make.sh).
    @Test func editcapsBlockIsReadBeforeTheFirstFrame() throws {
        let reader = try CaptureReader(path: Self.file("sip-tls13-dsb.pcapng"))
        let first = try #require(reader.next())
        #expect(first.number == 1)
        let secrets = try #require(reader.takeSecrets(), "the block precedes frame 1: its keys come with it")
        let keyLog = try String(contentsOfFile: Self.file("sip-tls13.keys"), encoding: .utf8)
        #expect(Set(secrets.clientRandoms) == Self.randoms(ofKeyLog: keyLog))
        #expect(secrets.clientRandoms.count == 1)
        let random = secrets.clientRandoms[0]
        for label in ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"] {
            #expect(secrets.secret(label, clientRandom: random)?.count == 48, "\(label)")
        }
        #expect(reader.takeSecrets() == nil, "taken once")
        var frames = 1
        while reader.next() != nil { frames += 1 }
        #expect(frames == 22)
        #expect(reader.problems.isEmpty)
        #expect(reader.secretsBlocksRead == 1)
    }

    /// Hostile and odd blocks: a key log with junk lines, another protocol's secrets, a block
    /// whose secrets length runs past it. Each is reported; the packet after them is still read.
    @Test func badBlocksAreReportedAndReadingGoesOn() throws {
        let good = "CLIENT_RANDOM " + String(repeating: "ab", count: 32) + " " + String(repeating: "cd", count: 48) + "\n"
        let junk = Array(("not a key log line\n" + good + "CLIENT_RANDOM zz 00\n").utf8)
        func dsb(_ type: UInt32, _ data: [UInt8], claimed: UInt32? = nil) -> [UInt8] {
            var body = le32(type) + le32(claimed ?? UInt32(data.count)) + data
            while body.count % 4 != 0 { body.append(0) }
            let total = UInt32(12 + body.count)
            return le32(0x0A) + le32(total) + body + le32(total)
        }
        let frame = Build.ethernet(type: 0x0800, Build.ipv4(proto: 17, Build.udp(bytes("MESSAGE sip:44@x SIP/2.0\r\n\r\n"))))
        var file: [UInt8] = CaptureFile.sectionHeader()
        file += CaptureFile.interface(linkType: 1)
        file += dsb(0x544c_534b, junk)
        file += dsb(0x5747_4b4c, [1, 2, 3, 4])
        file += dsb(0x544c_534b, Array(good.utf8), claimed: 0x7fff_fff0)
        file += CaptureFile.packet(interface: 0, units: 1_700_000_000_000_000, data: frame)
        let dir = TempDir()
        let reader = try CaptureReader(path: dir.write("dsb.pcapng", file))
        let f = try #require(reader.next(), "the packet after the bad blocks is read")
        #expect(f.bytes == frame)
        let secrets = try #require(reader.takeSecrets())
        #expect(secrets.clientRandoms == [[UInt8](repeating: 0xab, count: 32)])
        let codes: [String] = reader.problems.map(\.code)
        #expect(codes == ["tls-secrets-bad-lines", "secrets-not-tls", "secrets-block-damaged"])
        #expect(reader.problems[0].message.contains("2 lines") && reader.problems[0].message.contains("lines 1, 3"))
        #expect(reader.problems[1].message.contains("WGKL"))
        #expect(reader.next() == nil)
    }
}
