#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A header's lookup key (`SIPHeader.key`) made straight from its name's bytes, as the parser
/// meets them: the common names come back as the literal key (no new string, no reference
/// counting), the rest lowercased in place. The same result as `SIPHeader.canonicalKey`, which a
/// test holds it to; only quicker, since every header of every message passes here.
enum SIPHeaderKey {
    /// Keys whose name is ASCII and at most `maxLength` bytes; nil sends the caller to
    /// `SIPHeader.canonicalKey` (non-ASCII or long names, which are rare).
    static let maxLength = 32

    /// The common keys, numbered from 1 (0: none of them). `HeaderLines.Line` keeps this byte
    /// instead of a string: a tenth of a held message's size, and no string for any other name.
    static let known: [String] = [
        "", "to", "via", "from", "cseq", "allow", "event", "route", "server", "accept", "call-id",
        "expires", "require", "subject", "contact", "supported", "user-agent", "content-type",
        "max-forwards", "record-route", "allow-events", "authorization", "content-length",
        "www-authenticate", "subscription-state", "p-asserted-identity", "content-disposition",
        "content-encoding", "refer-to", "referred-by", "session-expires",
    ]
    static let to: UInt8 = 1, via: UInt8 = 2, from: UInt8 = 3, cseq: UInt8 = 4, callID: UInt8 = 10
    static let contentType: UInt8 = 17, contentLength: UInt8 = 22

    /// The number of a name's key when it is one of `known`, 0 when it is another short ASCII
    /// name, nil for a name only `SIPHeader.canonicalKey` can key (past ASCII, or long).
    static func number(_ name: UnsafeBufferPointer<UInt8>) -> UInt8? {
        lowercased(name, number(lower:))
    }

    /// The number of a key (as `SIPHeader.canonicalKey` makes them), 0 when not one of `known`.
    static func number(ofKey key: String) -> UInt8 {
        var key = key
        return key.withUTF8 { b in b.count > 1 ? candidate(b) : 0 }
    }

    static func key(_ name: UnsafeBufferPointer<UInt8>) -> String? {
        lowercased(name) { lower in
            let number = number(lower: lower)
            return number > 0 ? known[Int(number)] : String(decoding: lower, as: UTF8.self)
        }
    }

    /// `body` given the name lowercased, in a buffer on the stack; nil for a name past ASCII or
    /// longer than `maxLength`.
    private static func lowercased<R>(_ name: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let n = name.count
        guard n > 0, n <= maxLength else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buffer -> R? in
            var i = 0
            for b in name {
                if b >= 0x80 { return nil }
                buffer[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b
                i += 1
            }
            return body(UnsafeBufferPointer(buffer))
        }
    }

    /// The number of a lowercase name, 0 when it is not one of `known`: a compact form by its letter.
    private static func number(lower: UnsafeBufferPointer<UInt8>) -> UInt8 {
        lower.count == 1 ? (lower[0] < 128 ? compactByLetter[Int(lower[0])] : 0) : candidate(lower)
    }

    /// The number of a lowercase name of two or more bytes, 0 when it is not one of `known`.
    private static func candidate(_ lower: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let n = lower.count
        var number = candidate(length: n, first: lower[0])
        // "call-id" and "contact" share a length and a first letter.
        if number == 10, lower[1] == 0x6f { number = 14 }
        guard number > 0 else { return 0 }
        return spells(known[Int(number)], lower) ? number : 0
    }

    /// `s` is exactly these bytes: a memcmp against the literal's own storage, no string made.
    static func spells(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.utf8.count == bytes.count else { return false }
        guard !bytes.isEmpty else { return true }
        return s.utf8.withContiguousStorageIfAvailable({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) == true
    }

    /// `SIPHeader.compactForms` by letter, as numbers: an array lookup instead of a hashed one per header.
    private static let compactByLetter: [UInt8] = (0..<128).map { c in
        SIPHeader.compactForms[String(UnicodeScalar(UInt8(c)))].map { UInt8(known.firstIndex(of: $0)!) } ?? 0
    }

    /// The number of the one common key of this length and first letter, if any (checked by the caller).
    private static func candidate(length: Int, first: UInt8) -> UInt8 {
        switch (length, first) {
        case (2, 0x74): return 1    // to
        case (3, 0x76): return 2    // via
        case (4, 0x66): return 3    // from
        case (4, 0x63): return 4    // cseq
        case (5, 0x61): return 5    // allow
        case (5, 0x65): return 6    // event
        case (5, 0x72): return 7    // route
        case (6, 0x73): return 8    // server
        case (6, 0x61): return 9    // accept
        case (7, 0x63): return 10   // call-id, or contact (the caller tells them apart)
        case (7, 0x65): return 11   // expires
        case (7, 0x72): return 12   // require
        case (7, 0x73): return 13   // subject
        case (9, 0x73): return 15   // supported
        case (10, 0x75): return 16  // user-agent
        case (12, 0x63): return 17  // content-type
        case (12, 0x6d): return 18  // max-forwards
        case (12, 0x72): return 19  // record-route
        case (12, 0x61): return 20  // allow-events
        case (13, 0x61): return 21  // authorization
        case (14, 0x63): return 22  // content-length
        case (16, 0x77): return 23  // www-authenticate
        case (18, 0x73): return 24  // subscription-state
        case (19, 0x70): return 25  // p-asserted-identity
        case (19, 0x63): return 26  // content-disposition
        case (16, 0x63): return 27  // content-encoding
        case (8, 0x72): return 28   // refer-to
        case (11, 0x72): return 29  // referred-by
        case (15, 0x73): return 30  // session-expires
        default: return 0
        }
    }
}
