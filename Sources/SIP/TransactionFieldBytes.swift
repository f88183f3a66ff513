/// The transaction fields every message is keyed on (top Via branch, CSeq), read over the header
/// values' bytes: the same answers as splitting the values into strings, without the strings.
enum TransactionFieldBytes {
    /// `SIPMessage.firstCommaPart(value)` then `SIPMessage.parameter("branch", in:)` on it: `.none`
    /// when the value has no first part (blank), else the parameter (nil when absent).
    static func topViaBranch(_ value: String) -> String?? {
        var value = value
        return value.withUTF8(topViaBranch)
    }

    static func topViaBranch(_ b: UnsafeBufferPointer<UInt8>) -> String?? {
        var inQuote = false, depth = 0
        var end = b.count
        var sawComma = false
        for i in 0..<b.count {
            switch b[i] {
            case 0x22: inQuote.toggle()
            case 0x3c where !inQuote: depth += 1
            case 0x3e where !inQuote: depth = max(0, depth - 1)
            case 0x2c where !inQuote && depth == 0:
                end = i
                sawComma = true
            default: continue
            }
            if sawComma { break }
        }
        var s = 0, e = end
        while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
        while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09) { e -= 1 }
        // Up to a comma the part counts even when blank; the whole value only when not.
        if !sawComma && s == e { return .none }
        return .some(SIPMessage.parameter("branch", bytes: UnsafeBufferPointer(rebasing: b[s..<e])))
    }

    /// CSeq's number and method: the first two space- or tab-separated words, the first a
    /// number as `UInt32(String)` reads it; nil otherwise.
    static func cseq(_ value: String) -> (number: UInt32, method: String)? {
        var value = value
        return value.withUTF8(cseq)
    }

    static func cseq(_ b: UnsafeBufferPointer<UInt8>) -> (number: UInt32, method: String)? {
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        var i = 0
        while i < b.count && isBlank(b[i]) { i += 1 }
        let n0 = i
        while i < b.count && !isBlank(b[i]) { i += 1 }
        let n1 = i
        while i < b.count && isBlank(b[i]) { i += 1 }
        let m0 = i
        while i < b.count && !isBlank(b[i]) { i += 1 }
        let m1 = i
        guard n1 > n0, m1 > m0,
              let n = UInt32(String(decoding: UnsafeBufferPointer(rebasing: b[n0..<n1]), as: UTF8.self)) else { return nil }
        return (n, String(decoding: UnsafeBufferPointer(rebasing: b[m0..<m1]), as: UTF8.self))
    }
}
