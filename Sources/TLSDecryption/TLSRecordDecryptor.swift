import Crypto
import _CryptoExtras

/// Opens the protected records of one direction with one set of keys (RFC 8446 §5.2, RFC 5246
/// §6.2.3, RFC 7905, RFC 7366). The sequence number is the caller's: a record that fails to open
/// leaves it to the caller to decide which number the next one has.
public struct TLSRecordDecryptor {
    public enum Failure: Error, Equatable {
        /// The tag or MAC does not match: wrong keys, or bytes that are not this record.
        case authentication
        /// Shorter than the cipher's overhead, or not a whole number of blocks.
        case malformed
    }

    private enum Mode { case tls13, gcm12, chacha12, cbc12(encryptThenMAC: Bool, mac: TLSHash) }

    private let mode: Mode
    private let key: SymmetricKey
    private let iv: [UInt8]
    private let macKey: [UInt8]
    private let isChaCha: Bool

    /// TLS 1.3: the key and IV derived from a traffic secret.
    public init(tls13 suite: TLSCipherSuite, secret: [UInt8]) {
        let k = TLS13KeySchedule.trafficKeys(suite, secret: secret)
        mode = .tls13
        key = SymmetricKey(data: k.key)
        iv = k.iv
        macKey = []
        isChaCha = suite.cipher == .chacha20Poly1305
    }

    /// TLS 1.2: one direction's part of the key block.
    public init(tls12 suite: TLSCipherSuite, keys: TLS12KeySchedule.DirectionKeys, encryptThenMAC: Bool) {
        switch suite.cipher {
        case .aesGCM: mode = .gcm12
        case .chacha20Poly1305: mode = .chacha12
        case .aesCBC(_, let mac): mode = .cbc12(encryptThenMAC: encryptThenMAC, mac: mac)
        }
        key = SymmetricKey(data: keys.key)
        iv = keys.iv
        macKey = keys.macKey
        isChaCha = suite.cipher == .chacha20Poly1305
    }

    /// The plaintext of a record and its real content type (TLS 1.3 hides it inside).
    public func open(type: UInt8, version: UInt16, fragment: ArraySlice<UInt8>, sequence: UInt64) throws -> (type: UInt8, plaintext: [UInt8]) {
        switch mode {
        case .tls13:
            guard fragment.count >= 17 else { throw Failure.malformed }
            let header: [UInt8] = [type, UInt8(version >> 8), UInt8(version & 0xff), UInt8(fragment.count >> 8), UInt8(fragment.count & 0xff)]
            var inner = try aead(nonce: xorNonce(sequence), body: fragment, aad: header)
            // The inner plaintext ends in its content type, then zero padding.
            guard let last = inner.lastIndex(where: { $0 != 0 }) else { throw Failure.malformed }
            let innerType = inner[last]
            inner.removeSubrange(last...)
            return (innerType, inner)
        case .gcm12:
            guard fragment.count >= 8 + 16 else { throw Failure.malformed }
            let explicit = fragment.prefix(8)
            let plainLength = fragment.count - 24
            let plain = try aead(nonce: iv + explicit, body: fragment.dropFirst(8),
                                 aad: Self.additionalData(sequence, type, version, plainLength))
            return (type, plain)
        case .chacha12:
            guard fragment.count >= 16 else { throw Failure.malformed }
            let plain = try aead(nonce: xorNonce(sequence), body: fragment,
                                 aad: Self.additionalData(sequence, type, version, fragment.count - 16))
            return (type, plain)
        case .cbc12(let etm, let mac):
            return (type, try openCBC(fragment, type: type, version: version, sequence: sequence, encryptThenMAC: etm, mac: mac))
        }
    }

    private func aead(nonce: [UInt8], body: ArraySlice<UInt8>, aad: [UInt8]) throws -> [UInt8] {
        let ciphertext = body.dropLast(16), tag = body.suffix(16)
        do {
            if isChaCha {
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try ChaChaPoly.open(box, using: key, authenticating: aad))
            }
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            return Array(try AES.GCM.open(box, using: key, authenticating: aad))
        } catch {
            throw Failure.authentication
        }
    }

    private func openCBC(_ fragment: ArraySlice<UInt8>, type: UInt8, version: UInt16, sequence: UInt64,
                         encryptThenMAC: Bool, mac: TLSHash) throws -> [UInt8] {
        var body = fragment
        if encryptThenMAC {
            guard body.count >= 16 + 16 + mac.byteCount else { throw Failure.malformed }
            let tag = Array(body.suffix(mac.byteCount))
            body = body.dropLast(mac.byteCount)
            let expected = mac.hmac(key: macKey, Self.additionalData(sequence, type, version, body.count), Array(body))
            guard Self.constantTimeEqual(tag, expected) else { throw Failure.authentication }
        }
        guard body.count >= 32, body.count % 16 == 0 else { throw Failure.malformed }
        let decrypted: [UInt8]
        do {
            decrypted = Array(try AES._CBC.decrypt(body.dropFirst(16), using: key,
                                                   iv: AES._CBC.IV(ivBytes: body.prefix(16)), noPadding: true))
        } catch {
            throw Failure.malformed
        }
        let padding = Int(decrypted.last!)
        let macBytes = encryptThenMAC ? 0 : mac.byteCount
        guard padding + 1 + macBytes <= decrypted.count,
              decrypted[(decrypted.count - padding - 1)...].allSatisfy({ Int($0) == padding }) else {
            throw Failure.authentication
        }
        let contentEnd = decrypted.count - padding - 1 - macBytes
        let content = Array(decrypted[..<contentEnd])
        if !encryptThenMAC {
            let tag = Array(decrypted[contentEnd..<(contentEnd + macBytes)])
            let expected = mac.hmac(key: macKey, Self.additionalData(sequence, type, version, content.count), content)
            guard Self.constantTimeEqual(tag, expected) else { throw Failure.authentication }
        }
        return content
    }

    private func xorNonce(_ sequence: UInt64) -> [UInt8] {
        var nonce = iv
        for i in 0..<8 { nonce[nonce.count - 1 - i] ^= UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(i))) }
        return nonce
    }

    /// seq_num + type + version + length: what TLS 1.2 authenticates besides the content.
    static func additionalData(_ sequence: UInt64, _ type: UInt8, _ version: UInt16, _ length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(13)
        for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(i)))) }
        out += [type, UInt8(version >> 8), UInt8(version & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)]
        return out
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var d: UInt8 = 0
        for i in a.indices { d |= a[i] ^ b[i] }
        return d == 0
    }
}
