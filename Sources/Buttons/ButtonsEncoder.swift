/// Writes canonical x-buttons documents: CRLF line endings, `k=` first, the other entries in
/// canonical order (`c o a n l d i b f m r s t x`, then unknown letters), one empty line between
/// descriptions and none after the last.
///
/// The encoder writes what it is given; it does not check values. A value holding CR or LF
/// would break the framing: build documents from user input with `ButtonsDocument.compose`.
public enum ButtonsEncoder {
    public static func encode(_ descriptions: [KeyDescription]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, description) in descriptions.enumerated() {
            if index > 0 { out += crlf }
            for entry in canonicalEntries(description) {
                out += Array(entry.text.utf8)
                out += crlf
            }
        }
        return out
    }

    /// A document that sets `state` on `key`, with only the properties that differ from the
    /// defaults (a description replaces the whole state, so the rest need not be written).
    public static func encode(key: String, state: KeyState) -> [UInt8] {
        encode([KeyDescription(key: key, state: state)])
    }

    /// The description's entries in the order they are written. A description with no `k=`
    /// entry but a `key` gets `k=key` first. Repeated letters keep their relative order.
    public static func canonicalEntries(_ description: KeyDescription) -> [Entry] {
        var entries = description.entries
        if !entries.contains(where: { $0.property == .key }), let key = description.key {
            entries.insert(Entry(.key, key, line: description.line), at: 0)
        }
        let ranked = entries.enumerated().map { (rank: $0.element.property?.canonicalRank ?? Property.allCases.count,
                                                 offset: $0.offset, entry: $0.element) }
        return ranked.sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }.map(\.entry)
    }

    private static let crlf: [UInt8] = [0x0D, 0x0A]
}
