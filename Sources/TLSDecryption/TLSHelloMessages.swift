import TLSKeys
/// The handshake messages that carry what decryption needs, parsed from their bodies (after the
/// 4-byte handshake header). Everything else in them is skipped by length.
enum TLSHandshakeType {
    static let clientHello: UInt8 = 1
    static let serverHello: UInt8 = 2
    static let newSessionTicket: UInt8 = 4
    static let clientKeyExchange: UInt8 = 16
    static let finished: UInt8 = 20
    static let keyUpdate: UInt8 = 24
}

struct TLSClientHello: Equatable {
    var random: [UInt8]
    var sessionID: [UInt8]
    var cipherSuites: [UInt16]
    /// The session_ticket extension's contents: a ticket offered for resumption (TLS 1.2).
    var ticket: [UInt8]

    init?(_ body: ArraySlice<UInt8>) {
        var c = ByteCursor(body)
        guard c.u16() != nil, let random = c.take(32), let sid = c.vector(1), sid.count <= 32,
              let suites = c.vector(2), c.vector(1) != nil else { return nil }
        self.random = Array(random)
        sessionID = Array(sid)
        var s = ByteCursor(suites)
        cipherSuites = []
        while let id = s.u16() { cipherSuites.append(id) }
        ticket = []
        if !c.isAtEnd, let extensions = c.vector(2) {
            var e = ByteCursor(extensions)
            while let type = e.u16(), let data = e.vector(2) {
                if type == 35 { ticket = Array(data) }
            }
        }
    }
}

struct TLSServerHello: Equatable {
    var random: [UInt8]
    var sessionID: [UInt8]
    var cipherSuite: UInt16
    /// 0x0303 for TLS 1.2, 0x0304 for TLS 1.3 (from supported_versions).
    var version: UInt16
    var extendedMasterSecret = false
    var encryptThenMAC = false

    /// The random of a HelloRetryRequest (RFC 8446 §4.1.3): a ServerHello that is not one.
    static let retryRandom: [UInt8] = [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ]
    var isHelloRetryRequest: Bool { random == Self.retryRandom }

    init?(_ body: ArraySlice<UInt8>) {
        var c = ByteCursor(body)
        guard let legacy = c.u16(), let random = c.take(32), let sid = c.vector(1), sid.count <= 32,
              let suite = c.u16(), c.u8() != nil else { return nil }
        self.random = Array(random)
        sessionID = Array(sid)
        cipherSuite = suite
        version = legacy
        if !c.isAtEnd, let extensions = c.vector(2) {
            var e = ByteCursor(extensions)
            while let type = e.u16(), let data = e.vector(2) {
                switch type {
                case 43:
                    var v = ByteCursor(data)
                    if let selected = v.u16() { version = selected }
                case 23: extendedMasterSecret = true
                case 22: encryptThenMAC = true
                default: break
                }
            }
        }
    }
}

enum TLSHandshakeBodies {
    /// TLS 1.2 NewSessionTicket: lifetime hint, then the ticket.
    static func ticket(_ body: ArraySlice<UInt8>) -> [UInt8]? {
        var c = ByteCursor(body)
        guard c.take(4) != nil, let t = c.vector(2), !t.isEmpty else { return nil }
        return Array(t)
    }

    /// RSA ClientKeyExchange: the encrypted premaster with its 2-byte length.
    static func encryptedPremaster(_ body: ArraySlice<UInt8>) -> [UInt8]? {
        var c = ByteCursor(body)
        guard let v = c.vector(2), c.isAtEnd else { return nil }
        return Array(v)
    }
}
