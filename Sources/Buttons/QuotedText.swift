/// Text from the wire, made safe to put in a message: control characters shown as `\t`, `\r`,
/// `\u{0}`…, and long values cut, so a 1 MB line never becomes a 1 MB message.
enum QuotedText {
    static let limit = 60

    static func quote(_ text: String) -> String {
        var out = "'"
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { out += "…"; break }
            count += 1
            switch scalar.value {
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0x00..<0x20, 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    static func quote(_ bytes: ArraySlice<UInt8>) -> String {
        quote(String(decoding: bytes.prefix(limit * 4), as: UTF8.self))
    }

    /// "line 3 (key 2)" or "line 3".
    static func place(line: Int, key: String?) -> String {
        guard let key else { return "line \(line)" }
        return "line \(line) (key \(quote(key)))"
    }
}
