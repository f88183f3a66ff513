/// Untrusted text from a capture made safe for a terminal: control characters (an ANSI escape
/// in a label, say) are shown escaped instead of repainting the user's screen.
enum TerminalText {
    static func safe(_ s: String) -> String {
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

    private static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7f || (u.value >= 0x80 && u.value < 0xa0) || u.value == 0x2028 || u.value == 0x2029
            || (u.value >= 0x202a && u.value <= 0x202e) || (u.value >= 0x2066 && u.value <= 0x2069)
    }

    /// Pads or cuts to a column width (by characters).
    static func column(_ s: String, _ width: Int) -> String {
        if s.count > width { return String(s.prefix(max(1, width - 1))) + "…" }
        return s + String(repeating: " ", count: width - s.count)
    }
}
