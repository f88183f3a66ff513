/// A Snom key sequence, `KEY[,HOLD_MS[,PAUSE_MS]]` joined by `;` (`enter,50,5000;cancel,50,1000`),
/// checked before anything is sent: a phone given a malformed sequence presses nothing and still
/// answers 200, so the mistake would go unnoticed.
public struct KeyPressSequence: Hashable, Sendable {
    public struct Step: Hashable, Sendable {
        public var key: String
        public var holdMilliseconds: Int?
        public var pauseMilliseconds: Int?
    }

    public var steps: [Step]

    /// Longest hold or pause accepted (10 minutes): beyond that it is a typo, not a plan.
    public static let maxMilliseconds = 600_000

    /// Parses and validates; the error says which step is wrong and why.
    public init(_ text: String) throws {
        guard !text.isEmpty else { throw KeyPressSequenceError("the key sequence is empty") }
        var steps: [Step] = []
        for (index, part) in text.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            let position = "step \(index + 1)"
            guard !part.isEmpty else {
                throw KeyPressSequenceError("\(position) is empty (two `;` in a row, or one at an end)")
            }
            let fields = part.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count <= 3 else {
                throw KeyPressSequenceError("\(position) `\(part)` has \(fields.count) fields; the form is KEY[,HOLD_MS[,PAUSE_MS]]")
            }
            let key = String(fields[0])
            guard !key.isEmpty else { throw KeyPressSequenceError("\(position) `\(part)` has no key name") }
            if let bad = key.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
                throw KeyPressSequenceError("\(position): the key name `\(key.debugDescription.dropFirst().dropLast())` contains \(bad.value == 0x20 ? "a space" : "a control character"); key names are single words like enter, cancel, 1, *, #, F_REDIAL")
            }
            let hold = fields.count > 1 ? try Self.milliseconds(fields[1], what: "hold time", position) : nil
            let pause = fields.count > 2 ? try Self.milliseconds(fields[2], what: "pause", position) : nil
            steps.append(Step(key: key, holdMilliseconds: hold, pauseMilliseconds: pause))
        }
        self.steps = steps
    }

    private static func milliseconds(_ field: Substring, what: String, _ position: String) throws -> Int {
        guard !field.isEmpty, field.utf8.count <= 9, field.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(field) else {
            throw KeyPressSequenceError("\(position): the \(what) `\(field)` is not a whole number of milliseconds")
        }
        guard value <= maxMilliseconds else {
            throw KeyPressSequenceError("\(position): the \(what) \(value) ms is longer than \(maxMilliseconds / 60_000) minutes")
        }
        return value
    }

    /// The sequence as Snom writes it (normalised: no leading zeros).
    public var text: String {
        steps.map { step in
            var s = step.key
            if let h = step.holdMilliseconds { s += ",\(h)" }
            if let p = step.pauseMilliseconds { s += ",\(p)" }
            return s
        }.joined(separator: ";")
    }
}

public struct KeyPressSequenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// RFC 3986 percent-encoding of a query value: everything but the unreserved characters, so
/// `#` (a fragment), `*`, `;` and `,` reach the phone as data.
public enum PercentEncoding {
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0f)])
            }
        }
        return out
    }
}
