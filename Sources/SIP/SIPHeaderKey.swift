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

    static func key(_ name: UnsafeBufferPointer<UInt8>) -> String? {
        let n = name.count
        guard n > 0, n <= maxLength else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buffer -> String? in
            var i = 0
            for b in name {
                if b >= 0x80 { return nil }
                buffer[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b
                i += 1
            }
            let lower = UnsafeBufferPointer(buffer)
            if n == 1 { return compact(lower[0]) ?? String(decoding: lower, as: UTF8.self) }
            if var known = candidate(length: n, first: lower[0]),
               known.withUTF8({ memcmp($0.baseAddress!, lower.baseAddress!, n) == 0 }) { return known }
            return String(decoding: lower, as: UTF8.self)
        }
    }

    /// `SIPHeader.compactForms` by letter: an array lookup instead of a hashed one per header.
    private static let compactByLetter: [String?] = (0..<128).map { c in
        SIPHeader.compactForms[String(UnicodeScalar(UInt8(c)))]
    }

    private static func compact(_ c: UInt8) -> String? { c < 128 ? compactByLetter[Int(c)] : nil }

    /// The one common key of this length and first letter, if any (checked by the caller).
    private static func candidate(length: Int, first: UInt8) -> String? {
        switch (length, first) {
        case (2, 0x74): return "to"
        case (3, 0x76): return "via"
        case (4, 0x66): return "from"
        case (4, 0x63): return "cseq"
        case (5, 0x61): return "allow"
        case (5, 0x65): return "event"
        case (5, 0x72): return "route"
        case (6, 0x73): return "server"
        case (6, 0x61): return "accept"
        case (7, 0x63): return "call-id"
        case (7, 0x65): return "expires"
        case (7, 0x72): return "require"
        case (7, 0x73): return "subject"
        case (8, 0x63): return "contact"
        case (9, 0x73): return "supported"
        case (10, 0x75): return "user-agent"
        case (12, 0x63): return "content-type"
        case (12, 0x6d): return "max-forwards"
        case (12, 0x72): return "record-route"
        case (12, 0x61): return "allow-events"
        case (13, 0x61): return "authorization"
        case (14, 0x63): return "content-length"
        case (16, 0x77): return "www-authenticate"
        case (18, 0x73): return "subscription-state"
        case (19, 0x70): return "p-asserted-identity"
        case (19, 0x63): return "content-disposition"
        default: return nil
        }
    }
}
