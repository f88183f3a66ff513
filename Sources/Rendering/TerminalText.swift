import Base

/// Untrusted text from a capture made safe for a terminal: control characters (an ANSI escape
/// in a label, say) are shown escaped instead of repainting the user's screen.
public enum TerminalText {
    public static func safe(_ s: String) -> String {
        if isPrintableASCII(s) { return s }
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isControl(u) {
                out += u.value < 0x100 ? "\\x" + String(u.value, radix: 16).leftPadded(to: 2) : "\\u{" + String(u.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// Every byte printable ASCII: nothing to escape, decided without decoding scalars (this
    /// runs for every field of every line printed).
    private static func isPrintableASCII(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
        } ?? false
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7f || (u.value >= 0x80 && u.value < 0xa0) || u.value == 0x2028 || u.value == 0x2029
            || (u.value >= 0x202a && u.value <= 0x202e) || (u.value >= 0x2066 && u.value <= 0x2069)
    }

    /// Raw message bytes for a terminal: lines kept (CRLF or LF ends a line), every other control
    /// character escaped as `safe` does, and bytes that are not UTF-8 shown as `\xNN`.
    public static func safeLines(_ bytes: [UInt8]) -> String {
        func escape(_ v: UInt32) -> String {
            v < 0x100 ? "\\x" + String(v, radix: 16).leftPadded(to: 2) : "\\u{" + String(v, radix: 16) + "}"
        }
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0a { out += "\n"; i += 1; continue }
            if b == 0x0d && i + 1 < bytes.count && bytes[i + 1] == 0x0a { out += "\n"; i += 2; continue }
            let length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  let text = String(validating: bytes[i..<(i + length)], as: UTF8.self) else {
                out += escape(UInt32(b))
                i += 1
                continue
            }
            for u in text.unicodeScalars {
                if isControl(u) { out += escape(u.value) } else { out.unicodeScalars.append(u) }
            }
            i += length
        }
        return out
    }

    /// Pads or cuts to a column width (by characters).
    public static func column(_ s: String, _ width: Int) -> String {
        if s.count > width { return String(s.prefix(max(1, width - 1))) + "…" }
        return s + String(repeating: " ", count: width - s.count)
    }
}
