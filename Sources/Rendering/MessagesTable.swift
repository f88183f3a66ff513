import Capture
import Base
import SIP
import SIPCapture

/// The rows and JSON objects of `messages`.
public enum MessagesTable {
    public static let header = [
        TerminalText.column("frame", 7), TerminalText.column("time (UTC)", 12), TerminalText.column("source → destination", 44),
        TerminalText.column("tr", 3), TerminalText.column("method/status", 14), TerminalText.column("Call-ID", 22),
        TerminalText.column("CSeq", 16), TerminalText.column("type", 22), TerminalText.column("len/body", 10), "flags",
    ].joined(separator: " ")

    public static func what(_ m: SIPMessage) -> String {
        if let method = m.method { return method }
        return "\(m.statusCode ?? 0) \(m.reasonPhrase ?? "")"
    }

    public static func row(_ m: CapturedMessage, retransmitted: Bool) -> String {
        let msg = m.message
        let cseq = msg.cseq.map { "\($0.number) \($0.method)" } ?? "-"
        let declared = msg.declaredContentLength.value.map(String.init) ?? (msg.header("content-length") == nil ? "-" : "?")
        var flags = ""
        if retransmitted { flags += "R" }
        if m.isTruncatedByCapture { flags += "T" }
        if m.frames.count > 1 { flags += "+\(m.frames.count - 1)" }
        if !m.diagnostics.isEmpty { flags += "!" }
        return [
            TerminalText.column(String(m.frame), 7), TerminalText.column(ClockTime.format(m.time), 12),
            TerminalText.column("\(m.source) → \(m.destination)", 44), TerminalText.column(m.transport.rawValue, 3),
            TerminalText.column(TerminalText.safe(what(msg)), 14), TerminalText.column(TerminalText.safe(msg.callID ?? "-"), 22),
            TerminalText.column(TerminalText.safe(cseq), 16), TerminalText.column(TerminalText.safe(msg.contentType ?? "-"), 22),
            TerminalText.column("\(declared)/\(m.bodyLength)", 10), flags,
        ].joined(separator: " ") + (m.tunnel.map { "  via \($0)" } ?? "") + MessagesTable.hepText(m)
    }

    public static func json(_ m: CapturedMessage, retransmitted: Bool) -> JSONValue {
        let msg = m.message
        var fields: [(String, JSONValue)] = [
            ("frame", .int(m.frame)),
            ("frames", .array(m.frames.map(JSONValue.int))),
            ("time", .double(m.time.epochSeconds)),
            ("transport", .string(m.transport.rawValue)),
            ("src", .string(m.source.description)),
            ("dst", .string(m.destination.description)),
            ("method", .optional(msg.method)),
            ("status", .optional(msg.statusCode)),
            ("reason", .optional(msg.reasonPhrase)),
            ("request_uri", .optional(msg.requestURI)),
            ("call_id", .optional(msg.callID)),
            ("cseq_number", msg.cseq.map { .int(Int($0.number)) } ?? .null),
            ("cseq_method", .optional(msg.cseq?.method)),
            ("from_user", .optional(msg.fromUser)),
            ("to_user", .optional(msg.toUser)),
            ("content_type", .optional(msg.contentType)),
            ("content_length", .optional(msg.declaredContentLength.value)),
            ("body_length", .int(m.bodyLength)),
            ("retransmission", .bool(retransmitted)),
            ("truncated", .bool(m.isTruncatedByCapture)),
            ("diagnostics", .array(m.diagnostics.map { .string($0.code) })),
        ]
        // Only tunnelled messages carry the field: plain captures print exactly what they did.
        if let tunnel = m.tunnel { fields.append(("tunnel", .string(tunnel.description))) }
        return .object(hepJSON(m, fields))
    }
}
