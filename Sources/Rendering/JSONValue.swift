import Base

/// JSON with keys in the order we write them: NDJSON lines stay readable and diffable.
/// (Foundation's JSONSerialization sorts or scrambles keys.)
public enum JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func optional(_ i: Int?) -> JSONValue { i.map(JSONValue.int) ?? .null }
    public static func optional(_ d: Double?) -> JSONValue { d.map(JSONValue.double) ?? .null }

    /// Compact, one line.
    public var rendered: String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Written as UTF-8 bytes: appending a byte is a store, appending to a String a call that
    /// checks capacity and ASCII-ness; `messages --json` writes a few hundred values a message.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .int(let i): JSONValue.writeInt(i, to: &out)
        case .double(let d): JSONValue.writeDouble(d, to: &out)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(0x5b)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2c) }
                item.write(to: &out)
            }
            out.append(0x5d)
        case .object(let fields):
            out.append(0x7b)
            for (i, (k, v)) in fields.enumerated() {
                if i > 0 { out.append(0x2c) }
                JSONValue.writeString(k, to: &out)
                out.append(0x3a)
                v.write(to: &out)
            }
            out.append(0x7d)
        }
    }

    /// A byte that stands for itself in a JSON string as we write it: printable ASCII but `"` and
    /// `\`, and UTF-8 bytes that cannot begin one of the escaped scalars (0xc2 and 0xe2 can).
    @inline(__always)
    static func isPlain(_ c: UInt8) -> Bool {
        c >= 0x20 && c != 0x22 && c != 0x5c && c != 0x7f && c != 0xc2 && c != 0xe2
    }

    /// A whole number without a fraction (times in seconds keep theirs); null when not finite.
    static func writeDouble(_ d: Double, to out: inout [UInt8]) {
        if !d.isFinite {
            out.append(contentsOf: "null".utf8)
        } else if d == d.rounded() && abs(d) < 1e15 {
            writeInt(Int(d), to: &out)
        } else {
            out.append(contentsOf: String(d).utf8)
        }
    }

    /// Decimal digits without a String in between (a few per message, millions per capture).
    static func writeInt(_ value: Int, to out: inout [UInt8]) {
        if value == 0 { out.append(0x30); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while n > 0 {
                d[19 - count] = UInt8(truncatingIfNeeded: n % 10) + 0x30
                n /= 10
                count += 1
            }
            if value < 0 { out.append(0x2d) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(20 - count)...]))
        }
    }

    /// A string as JSON, quotes included: `"` `\` and the C0 controls escaped, and DEL, the C1
    /// controls, the line and paragraph separators and the bidi controls (U+202A–202E,
    /// U+2066–2069) as `\uXXXX`, so that a JSON viewer neither breaks nor reorders the text. A
    /// String's UTF-8 is valid, so those scalars are recognised by their bytes.
    public static func writeString(_ s: String, to o: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        func escape(_ c: UInt8) {
            o.append(0x5c)
            o.append(c)
        }
        func unicode(_ v: Int) {
            escape(0x75)
            for shift in [12, 8, 4, 0] { o.append(hex.utf8Start[(v >> shift) & 15]) }
        }
        var s = s
        s.withUTF8 { b in
            o.append(0x22)
            var i = 0
            while i < b.count {
                // Runs that need no escape (most of every string) are copied at once.
                var end = i
                while end < b.count, JSONValue.isPlain(b[end]) { end += 1 }
                if end > i {
                    o.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<end]))
                    i = end
                    if i == b.count { break }
                }
                let c = b[i]
                switch c {
                case 0x22: escape(0x22)
                case 0x5c: escape(0x5c)
                case 0x0a: escape(0x6e)
                case 0x0d: escape(0x72)
                case 0x09: escape(0x74)
                case 0..<0x20, 0x7f: unicode(Int(c))
                case 0xc2 where i + 1 < b.count && b[i + 1] >= 0x80 && b[i + 1] < 0xa0:
                    unicode(Int(b[i + 1]))
                    i += 1
                case 0xe2 where i + 2 < b.count
                    && ((b[i + 1] == 0x80 && b[i + 2] >= 0xa8 && b[i + 2] <= 0xae) || (b[i + 1] == 0x81 && b[i + 2] >= 0xa6 && b[i + 2] <= 0xa9)):
                    unicode(0x2000 | Int(b[i + 1] & 0x3f) << 6 | Int(b[i + 2] & 0x3f))
                    i += 2
                default: o.append(c)
                }
                i += 1
            }
            o.append(0x22)
        }
    }
}
