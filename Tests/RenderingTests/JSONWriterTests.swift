import Base
import Foundation
import Rendering
import Testing

/// `JSONWriter` writes watch's NDJSON events straight into bytes: its text must be, byte for byte,
/// what the `JSONValue` tree of the same members renders (scripts read both, and golden outputs
/// hold `timeline --json` to it).
@Suite struct JSONWriterTests {
    @Test func membersNestingAndNullsReadAsTheTreeDoes() {
        let awkward = "a\"b\\c\n\u{1b}\u{2028}é😀"
        var w = JSONWriter()
        w.beginObject()
        w.field("event", "key")
        w.field("time", 1_700_000_000.25)
        w.field("whole", 42.0)
        w.field("frame", 7)
        w.field("status", nil as Int?)
        w.field("call_id", nil as String?)
        w.field("partial", false)
        w.key("state")
        w.beginObject()
        w.key("light"); w.string("on")
        w.key(awkward); w.string(awkward)
        w.endObject()
        w.key("changed")
        w.strings(["light", "label"])
        w.key("empty")
        w.beginArray()
        w.endArray()
        w.key("nested")
        w.beginArray()
        w.beginObject(); w.field("a", 1); w.endObject()
        w.beginObject(); w.endObject()
        w.int(-3)
        w.null()
        w.endArray()
        w.key("tree")
        w.value(.object([("x", .bool(true))]))
        w.endObject()

        let tree = JSONValue.object([
            ("event", "key"), ("time", .double(1_700_000_000.25)), ("whole", .double(42)), ("frame", .int(7)),
            ("status", .null), ("call_id", .null), ("partial", .bool(false)),
            ("state", .object([("light", "on"), (awkward, .string(awkward))])),
            ("changed", .array(["light", "label"])), ("empty", .array([])),
            ("nested", .array([.object([("a", 1)]), .object([]), .int(-3), .null])),
            ("tree", .object([("x", .bool(true))])),
        ])
        #expect(w.text == tree.rendered)
    }

    @Test func theLineParsesAsJSON() throws {
        var w = JSONWriter()
        w.beginObject()
        w.field("user", "44\u{0}\"x")
        w.key("keys"); w.strings(["1", "2"])
        w.endObject()
        let any = try JSONSerialization.jsonObject(with: Data(w.text.utf8)) as? [String: Any]
        #expect(any?["user"] as? String == "44\u{0}\"x")
        #expect(any?["keys"] as? [String] == ["1", "2"])
    }

    @Test func doublesAreWrittenAsTheTreeWritesThem() {
        for d in [0.0, -0.0, 1.5, -2.25, 1e15, 1e16, 123456789.123456, .infinity, .nan, 0.1 + 0.2] {
            var w = JSONWriter()
            w.double(d)
            #expect(w.text == JSONValue.double(d).rendered, "\(d)")
        }
    }

    /// Endpoints and names written ahead must read as the strings they stand for.
    @Test func endpointsAndNamesWrittenAheadReadAsTheirStrings() {
        let v6: [[UInt8]] = [Array(repeating: 0, count: 15) + [1], [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [5],
                             [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4]]
        let endpoints = ([[0, 0, 0, 0], [10, 1, 0, 1], [255, 255, 255, 255], [127, 0, 23, 1]] + v6)
            .map { IPAddress($0) }
            .flatMap { a in [0, 5, 5060, 65535].map { Endpoint(address: a, port: UInt16($0)) } }
        for e in endpoints {
            var fast = JSONWriter(), slow = JSONWriter()
            fast.beginObject(); fast.field("src", e); fast.field("none", nil as Endpoint?); fast.endObject()
            slow.beginObject(); slow.field("src", e.description); slow.field("none", nil as String?); slow.endObject()
            #expect(fast.text == slow.text, "\(e)")
        }
        for name in ["light", "display_name", "a\"b", "é"] {
            var ahead = JSONWriter(), plain = JSONWriter()
            ahead.beginObject(); ahead.field("x", 1); ahead.key(JSONWriter.Name(name)); ahead.int(2); ahead.endObject()
            plain.beginObject(); plain.field("x", 1); plain.key(name); plain.int(2); plain.endObject()
            #expect(ahead.text == plain.text, "\(name)")
        }
    }
}
