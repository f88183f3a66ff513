import Crypto
import _CryptoExtras
@testable import TLSDecryption
import TestSupport

/// Writes the bytes of a TLS connection for tests: handshake messages in the clear and records
/// sealed the way a real stack seals them (swift-crypto does the ciphers).
struct TLSTestPeer {
    static func clientHello(random: [UInt8], suites: [UInt16], sessionID: [UInt8] = []) -> [UInt8] {
        var body: [UInt8] = [3, 3] + random + [UInt8(sessionID.count)] + sessionID
        body += [UInt8(suites.count * 2 >> 8), UInt8(suites.count * 2 & 0xff)]
        for s in suites { body += [UInt8(s >> 8), UInt8(s & 0xff)] }
        body += [1, 0, 0, 0]
        return TLSFraming.record(22, TLSFraming.handshake(1, body), version: 0x0301)
    }

    static func serverHello(random: [UInt8], suite: UInt16, tls13: Bool, extendedMasterSecret: Bool = false,
                            encryptThenMAC: Bool = false, sessionID: [UInt8] = []) -> [UInt8] {
        var ext: [UInt8] = []
        if tls13 { ext += [0, 43, 0, 2, 3, 4] }
        if extendedMasterSecret { ext += [0, 23, 0, 0] }
        if encryptThenMAC { ext += [0, 22, 0, 0] }
        let body: [UInt8] = [3, 3] + random + [UInt8(sessionID.count)] + sessionID + [UInt8(suite >> 8), UInt8(suite & 0xff), 0]
            + [UInt8(ext.count >> 8), UInt8(ext.count & 0xff)] + ext
        return TLSFraming.record(22, TLSFraming.handshake(2, body))
    }

    static let changeCipherSpec = TLSFraming.record(20, [1])

    static func nonce(_ iv: [UInt8], _ seq: UInt64) -> [UInt8] {
        var n = iv
        for i in 0..<8 { n[n.count - 1 - i] ^= UInt8(truncatingIfNeeded: seq >> (8 * UInt64(i))) }
        return n
    }

    static func aad12(_ seq: UInt64, _ type: UInt8, _ length: Int) -> [UInt8] {
        TLSRecordDecryptor.additionalData(seq, type, 0x0303, length)
    }

    /// A TLS 1.3 record under `secret`, sequence `seq`.
    static func seal13(_ suite: TLSCipherSuite, secret: [UInt8], seq: UInt64, type: UInt8, _ content: [UInt8]) -> [UInt8] {
        let k = TLS13KeySchedule.trafficKeys(suite, secret: secret)
        let inner = content + [type]
        let length = inner.count + 16
        let header: [UInt8] = [23, 3, 3, UInt8(length >> 8), UInt8(length & 0xff)]
        let key = SymmetricKey(data: k.key)
        let sealed: [UInt8]
        if suite.cipher == .chacha20Poly1305 {
            let box = try! ChaChaPoly.seal(inner, using: key, nonce: ChaChaPoly.Nonce(data: nonce(k.iv, seq)), authenticating: header)
            sealed = Array(box.ciphertext) + Array(box.tag)
        } else {
            let box = try! AES.GCM.seal(inner, using: key, nonce: AES.GCM.Nonce(data: nonce(k.iv, seq)), authenticating: header)
            sealed = Array(box.ciphertext) + Array(box.tag)
        }
        return header + sealed
    }

    /// A TLS 1.2 record with one direction's keys.
    static func seal12(_ suite: TLSCipherSuite, keys: TLS12KeySchedule.DirectionKeys, encryptThenMAC: Bool = false,
                       seq: UInt64, type: UInt8, _ content: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: keys.key)
        switch suite.cipher {
        case .aesGCM:
            var explicit: [UInt8] = []
            for i in (0..<8).reversed() { explicit.append(UInt8(truncatingIfNeeded: (seq &+ 77) >> (8 * UInt64(i)))) }
            let box = try! AES.GCM.seal(content, using: key, nonce: AES.GCM.Nonce(data: keys.iv + explicit),
                                        authenticating: aad12(seq, type, content.count))
            return TLSFraming.record(type, explicit + Array(box.ciphertext) + Array(box.tag))
        case .chacha20Poly1305:
            let box = try! ChaChaPoly.seal(content, using: key, nonce: ChaChaPoly.Nonce(data: nonce(keys.iv, seq)),
                                           authenticating: aad12(seq, type, content.count))
            return TLSFraming.record(type, Array(box.ciphertext) + Array(box.tag))
        case .aesCBC(_, let mac):
            let iv = (0..<16).map { UInt8(truncatingIfNeeded: Int($0) &* 7 &+ Int(seq)) }
            func pad(_ p: [UInt8]) -> [UInt8] {
                let n = 15 - p.count % 16
                return p + [UInt8](repeating: UInt8(n), count: n + 1)
            }
            func encrypt(_ p: [UInt8]) -> [UInt8] {
                Array(try! AES._CBC.encrypt(p, using: key, iv: AES._CBC.IV(ivBytes: iv), noPadding: true))
            }
            if encryptThenMAC {
                let body = iv + encrypt(pad(content))
                return TLSFraming.record(type, body + mac.hmac(key: keys.macKey, aad12(seq, type, body.count), body))
            }
            let tag = mac.hmac(key: keys.macKey, aad12(seq, type, content.count), content)
            return TLSFraming.record(type, iv + encrypt(pad(content + tag)))
        }
    }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        let digits = hex.filter { $0.isHexDigit }
        var out: [UInt8] = []
        var i = digits.startIndex
        while i < digits.endIndex {
            let j = digits.index(after: i)
            out.append(UInt8(digits[i...j], radix: 16)!)
            i = digits.index(after: j)
        }
        self = out
    }
}
