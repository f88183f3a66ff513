import Base

/// JSON written straight into bytes, field by field, in the order given: the same text as a
/// `JSONValue` tree rendered, without building the tree. A live collector prints a few events a
/// message, tens of thousands a second; their trees (an array of tuples and an enum payload per
/// field, all freed again) were a third of the watch loop's time.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One bit a nesting level: set while that container has no member yet (no comma due).
    private var empty: UInt64 = 0
    private var depth = 0
    /// A key was just written: the value follows it without a comma.
    private var afterKey = false

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// The text, one line.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(min(depth, 63))
        if empty & bit != 0 { empty &= ~bit } else { bytes.append(0x2c) }
    }

    private mutating func open(_ byte: UInt8) {
        separate()
        bytes.append(byte)
        depth += 1
        empty |= 1 << UInt64(min(depth, 63))
    }

    private mutating func close(_ byte: UInt8) {
        depth -= 1
        bytes.append(byte)
    }

    public mutating func beginObject() { open(0x7b) }
    public mutating func endObject() { close(0x7d) }
    public mutating func beginArray() { open(0x5b) }
    public mutating func endArray() { close(0x5d) }

    /// A member's name. `StaticString` names are ours, plain ASCII: copied as they are.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3a)
        afterKey = true
    }

    /// A member's name written out once, ahead (`"light":`): for names made at run time that a
    /// writer repeats in every line, so they are not escaped again each time.
    public struct Name: Sendable {
        let bytes: [UInt8]

        public init(_ name: String) {
            var w = JSONWriter(capacity: name.utf8.count + 3)
            w.key(name)
            bytes = w.bytes
        }
    }

    public mutating func key(_ name: Name) {
        separate()
        bytes.append(contentsOf: name.bytes)
        afterKey = true
    }

    /// A member's name made at run time (escaped like any string).
    public mutating func key(_ name: String) {
        separate()
        JSONValue.writeString(name, to: &bytes)
        bytes.append(0x3a)
        afterKey = true
    }

    public mutating func string(_ s: String) {
        separate()
        JSONValue.writeString(s, to: &bytes)
    }

    /// The string, or null.
    public mutating func string(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    public mutating func int(_ i: Int) {
        separate()
        JSONValue.writeInt(i, to: &bytes)
    }

    /// The number, or null.
    public mutating func int(_ i: Int?) {
        if let i { int(i) } else { null() }
    }

    public mutating func double(_ d: Double) {
        separate()
        JSONValue.writeDouble(d, to: &bytes)
    }

    public mutating func bool(_ b: Bool) {
        separate()
        bytes.append(contentsOf: (b ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A value built as a tree elsewhere.
    public mutating func value(_ v: JSONValue) {
        separate()
        v.write(to: &bytes)
    }

    /// An array of strings.
    public mutating func strings(_ list: [String]) {
        beginArray()
        for s in list { string(s) }
        endArray()
    }

    /// An array of integers (a message's frames).
    public mutating func ints(_ list: [Int]) {
        beginArray()
        for i in list { int(i) }
        endArray()
    }

    /// `"name":"value"` in one call, the commonest member.
    /// An endpoint as its `description` reads, written without making that string (its
    /// characters need no escape).
    public mutating func field(_ name: StaticString, _ e: Endpoint?) {
        key(name)
        guard let e else { null(); return }
        separate()
        bytes.append(0x22)
        e.appendDescription(to: &bytes)
        bytes.append(0x22)
    }

    public mutating func field(_ name: StaticString, _ s: String) { key(name); string(s) }
    public mutating func field(_ name: StaticString, _ s: String?) { key(name); string(s) }
    public mutating func field(_ name: StaticString, _ i: Int) { key(name); int(i) }
    public mutating func field(_ name: StaticString, _ i: Int?) { key(name); int(i) }
    public mutating func field(_ name: StaticString, _ d: Double) { key(name); double(d) }
    public mutating func field(_ name: StaticString, _ b: Bool) { key(name); bool(b) }
}
