import Base

/// Builds an HTML document where escaping is structural: text and attribute values are always
/// escaped, and only compile-time literals (`StaticString`) can be written as markup. Everything
/// from a capture (labels, caller IDs, headers, bodies, Call-IDs, file names) is untrusted and
/// can only enter through `text` or an attribute value.
public struct HTMLWriter {
    public private(set) var html = ""
    /// Where the page goes in pieces, when it is not held whole: a 21 MB page built as one string
    /// held up to twice that while it grew, most of `report`'s peak past its data.
    private let sink: ((String) -> Void)?
    private let chunk: Int

    /// The page held whole, in `html`.
    public init() {
        sink = nil
        chunk = .max
    }

    /// The page handed to `sink` about every `chunk` bytes, at an element's end; `finish` hands the rest.
    public init(chunk: Int = 1 << 16, to sink: @escaping (String) -> Void) {
        self.sink = sink
        self.chunk = chunk
    }

    /// Hands what is left to the sink.
    public mutating func finish() {
        guard let sink, !html.isEmpty else { return }
        sink(html)
        html.removeAll(keepingCapacity: true)
    }

    private mutating func handOnWhenFull() {
        if html.utf8.count >= chunk { finish() }
    }

    /// A `name="value"` pair: the name is a literal, the value is escaped when written.
    public struct Attribute {
        public var name: StaticString
        public var value: String
    }

    /// Markup we wrote ourselves (tags, CSS, the page script): never capture text.
    public mutating func markup(_ s: StaticString) {
        html += s.description
    }

    /// Untrusted text, escaped for element content.
    public mutating func text(_ s: String) {
        HTMLWriter.escape(s, into: &html)
        handOnWhenFull()
    }

    /// An integer is safe as it is.
    public mutating func number(_ n: Int) {
        html += String(n)
    }

    public mutating func open(_ tag: StaticString, _ attributes: [Attribute] = []) {
        html += "<"
        html += tag.description
        for a in attributes { attribute(a) }
        html += ">"
    }

    public mutating func close(_ tag: StaticString) {
        html += "</"
        html += tag.description
        html += ">"
        handOnWhenFull()
    }

    /// `<tag attrs>text</tag>`.
    public mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], text: String) {
        open(tag, attributes)
        self.text(text)
        close(tag)
    }

    /// `<tag attrs>…</tag>` around what `body` writes.
    public mutating func element(_ tag: StaticString, _ attributes: [Attribute] = [], _ body: (inout HTMLWriter) -> Void) {
        open(tag, attributes)
        body(&self)
        close(tag)
    }

    /// A self-closing element (`<circle …/>`, `<br/>`): SVG and void elements.
    public mutating func empty(_ tag: StaticString, _ attributes: [Attribute] = []) {
        html += "<"
        html += tag.description
        for a in attributes { attribute(a) }
        html += "/>"
        handOnWhenFull()
    }

    private mutating func attribute(_ a: Attribute) {
        html += " "
        html += a.name.description
        html += "=\""
        HTMLWriter.escape(a.value, into: &html)
        html += "\""
    }

    /// `& < > " '` become entities; control characters and invisible direction overrides are
    /// shown as `\xNN` / `\u{NNNN}` so a hostile label cannot hide or reorder text.
    public static func escape(_ s: String, into out: inout String) {
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(u)
            default:
                if isHidden(u) {
                    out += u.value < 0x100 ? "\\x" + String(u.value, radix: 16).leftPadded(to: 2) : "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
    }

    public static func escaped(_ s: String) -> String {
        var out = ""
        escape(s, into: &out)
        return out
    }

    private static func isHidden(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 || u.value == 0x7f || (u.value >= 0x80 && u.value < 0xa0) || u.value == 0x2028 || u.value == 0x2029
            || (u.value >= 0x202a && u.value <= 0x202e) || (u.value >= 0x2066 && u.value <= 0x2069)
    }
}

/// Attribute shorthand: `.attr("class", "lamp")`.
public func attr(_ name: StaticString, _ value: String) -> HTMLWriter.Attribute {
    HTMLWriter.Attribute(name: name, value: value)
}

public func attr(_ name: StaticString, _ value: Int) -> HTMLWriter.Attribute {
    HTMLWriter.Attribute(name: name, value: String(value))
}

public func attr(_ name: StaticString, _ value: Double) -> HTMLWriter.Attribute {
    HTMLWriter.Attribute(name: name, value: SVGNumber.format(value))
}

/// Coordinates for SVG: short, finite, never `nan` or exponent forms.
public enum SVGNumber {
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let clamped = max(-1e7, min(1e7, v))
        let tenths = (clamped * 10).rounded()
        let whole = Int(tenths / 10)
        let frac = Int(abs(tenths).truncatingRemainder(dividingBy: 10))
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return frac == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(frac)"
    }
}
