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

    /// One message as an NDJSON line, written straight into bytes (`JSONWriter`): `messages --json`
    /// writes a line per message, and building a tree for each was a fifth of its time.
    public static func json(_ m: CapturedMessage, retransmitted: Bool) -> String {
        var w = JSONWriter()
        // The message passed as an argument, not bound to a local borrowed from `m`: that made
        // Swift 6.3's ownership verifier stop the compiler.
        write(m, m.message, retransmitted: retransmitted, to: &w)
        return w.text
    }

    private static func write(_ m: CapturedMessage, _ msg: SIPMessage, retransmitted: Bool, to w: inout JSONWriter) {
        w.beginObject()
        w.field("frame", m.frame)
        w.key("frames")
        w.ints(m.frames)
        w.field("time", m.time.epochSeconds)
        w.field("transport", m.transport.rawValue)
        w.field("src", m.source)
        w.field("dst", m.destination)
        w.field("method", msg.method)
        w.field("status", msg.statusCode)
        w.field("reason", msg.reasonPhrase)
        w.field("request_uri", msg.requestURI)
        w.field("call_id", msg.callID)
        let cseq = msg.cseq
        w.field("cseq_number", cseq.map { Int($0.number) })
        w.field("cseq_method", cseq?.method)
        w.field("from_user", msg.fromUser)
        w.field("to_user", msg.toUser)
        w.field("content_type", msg.contentType)
        w.field("content_length", msg.declaredContentLength.value)
        w.field("body_length", m.bodyLength)
        w.field("retransmission", retransmitted)
        w.field("truncated", m.isTruncatedByCapture)
        w.key("diagnostics")
        w.strings(m.diagnostics.map(\.code))
        // Only tunnelled messages carry the field: plain captures print exactly what they did.
        if let tunnel = m.tunnel { w.field("tunnel", tunnel.description) }
        writeHEPFields(m, to: &w)
        w.endObject()
    }
}
