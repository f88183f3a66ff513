/// Cheap tests for telling an x-buttons body from other bodies, so a body that travels under the
/// wrong Content-Type (or a Content-Type on the wrong body) can be flagged `wrong-content-type`.
extension ButtonsDocument {
    /// Whether a Content-Type header value names x-buttons: case-insensitive, parameters and
    /// surrounding spaces ignored (`Application/X-Buttons; charset=utf-8` counts).
    public static func isButtonsContentType(_ value: String) -> Bool {
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
        let letter = String(UnicodeScalar(body[start]))
        return Property(rawValue: ignoringCase ? letter.lowercased() : letter) != nil
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
