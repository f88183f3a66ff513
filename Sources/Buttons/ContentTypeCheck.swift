/// Cheap tests for telling an x-buttons body from other bodies, so a body that travels under the
/// wrong Content-Type (or a Content-Type on the wrong body) can be flagged `wrong-content-type`.
extension ButtonsDocument {
    /// Whether a Content-Type header value names x-buttons: case-insensitive, parameters and
    /// surrounding spaces ignored (`Application/X-Buttons; charset=utf-8` counts).
    public static func isButtonsContentType(_ value: String) -> Bool {
        // ASCII (nearly always): compared byte by byte, no strings made. Anything else the general
        // way, where Unicode lowercasing may turn a non-ASCII letter into an ASCII one.
        if let ascii = asciiIsButtonsContentType(value) { return ascii }
        let mediaType = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(mediaType).trimmingSpacesAndTabs.lowercased() == contentType
    }

    /// Whether a body looks like x-buttons: its first non-blank line starts with a known
    /// property letter and `=`. Known letters only, so SDP (`v=0` first) does not count.
    /// Reads no further than the first non-blank byte and the one after it.
    /// `ignoringCase`: `K=1` counts too (a known letter written in upper case).
    public static func looksLikeButtons(_ body: [UInt8], ignoringCase: Bool = false) -> Bool {
        guard let start = body.firstIndex(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }),
              body.index(start, offsetBy: 1) < body.endIndex,
              body[start + 1] == UInt8(ascii: "=") else { return false }
        var letter = body[start]
        // A byte ≥ 0x80 is never a property letter (its one-scalar string is not ASCII either way).
        if ignoringCase && letter >= 0x41 && letter <= 0x5A { letter |= 0x20 }
        return CleanBodyDecoder.property(letter) != nil
    }

    /// `isButtonsContentType` over the bytes when the value is ASCII; nil when it is not.
    static func asciiIsButtonsContentType(_ value: String) -> Bool? {
        var value = value
        return value.withUTF8 { b -> Bool? in
            var end = 0
            while end < b.count && b[end] != 0x3B {
                if b[end] >= 0x80 { return nil }
                end += 1
            }
            var i = end
            while i < b.count { if b[i] >= 0x80 { return nil }; i += 1 }
            var s = 0
            while s < end && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
            while end > s && (b[end - 1] == 0x20 || b[end - 1] == 0x09) { end -= 1 }
            let wanted = contentType.utf8
            guard end - s == wanted.count else { return false }
            var k = s
            for c in wanted {
                let x = b[k] >= 0x41 && b[k] <= 0x5A ? b[k] | 0x20 : b[k]
                if x != c { return false }
                k += 1
            }
            return true
        }
    }
}

extension String {
    var trimmingSpacesAndTabs: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[start...last])
    }
}
