/// The page that lists every code with its meaning (`docs/diagnostics.md`). It is rendered from
/// the code enums, and a test holds the committed page to it, so the list cannot drift from the code.
public enum DiagnosticCatalog {
    /// One section of the page: a heading, a sentence on where the codes come from, and the codes.
    public struct Section: Sendable {
        public var title: String
        public var intro: String
        public var codes: [(code: String, meaning: String)]

        public init<Code: DiagnosticCode>(_ title: String, _ intro: String, _ type: Code.Type) {
            self.title = title
            self.intro = intro
            self.codes = type.allCases.map { ($0.rawValue, $0.meaning) }
        }
    }

    /// Markdown: a title, then a table per section in declaration order.
    public static func markdown(_ sections: [Section], header: String) -> String {
        var out = header
        for section in sections {
            out += "\n## \(section.title)\n\n\(section.intro)\n\n| code | meaning |\n| --- | --- |\n"
            for c in section.codes {
                out += "| `\(c.code)` | \(c.meaning.replacingPipes) |\n"
            }
        }
        return out
    }
}

private extension String {
    /// A `|` in a meaning would end the table cell.
    var replacingPipes: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
