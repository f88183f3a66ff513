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
}
