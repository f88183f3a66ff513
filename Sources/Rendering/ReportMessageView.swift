import SIPCapture
import Analysis
import Buttons
import Capture
import SIP

/// One captured message as the report's side panel shows it: where and when it travelled, its
/// full text (start line, headers, body) and, for an x-buttons body, the decoded descriptions.
public enum ReportMessageView {
    /// Longest body text shown; longer bodies are cut (and say so).
    public static let bodyLimit = 16_384

    public static func write(_ m: CapturedMessage, id: String, exchange: Exchange, index: Int, into w: inout HTMLWriter) {
        w.open("div", [attr("class", "msg"), attr("id", id)])
        w.open("h3")
        w.text(title(m))
        w.close("h3")
        w.open("p", [attr("class", "muted mono")])
        w.text("frame \(m.frame)" + (m.frames.count > 1 ? " (frames \(m.frames.map(String.init).joined(separator: ", ")))" : ""))
        w.text(" · \(ClockTime.date(m.time)) \(ClockTime.format(m.time)) UTC · \(m.transport.rawValue.uppercased()) \(m.source) → \(m.destination)")
        w.close("p")
        exchangeLine(exchange, index: index, into: &w)
        if !m.diagnostics.isEmpty {
            w.element("ul") { w in
                for d in m.diagnostics {
                    w.element("li") { w in
                        w.element("span", [attr("class", "sev-" + d.severity.rawValue)], text: d.severity.rawValue + " " + d.code)
                        w.text(": " + d.message)
                    }
                }
            }
        }
        fullText(m, into: &w)
        if let carried = CarriedDocument(m) { decoded(carried, into: &w) }
        w.close("div")
    }

    public static func title(_ m: CapturedMessage) -> String {
        let msg = m.message
        if let method = msg.method { return "\(method) \(msg.requestURI ?? "")" }
        return "\(msg.statusCode ?? 0) \(msg.reasonPhrase ?? "")"
    }

    /// What became of the transaction the message belongs to, with links to its other messages.
    public static func exchangeLine(_ e: Exchange, index: Int, into w: inout HTMLWriter) {
        w.open("p")
        w.text("\(e.method) transaction: ")
        let cls = e.outcome == .accepted ? "ok" : e.outcome == .unknown ? "unsure" : "bad"
        w.element("span", [attr("class", cls)], text: e.outcome.rawValue + (e.finalStatus.map { " \($0)" } ?? ""))
        w.text(" · request ")
        link(e.request.frame, ReportLinks.requestID(index), &w)
        for r in e.retransmissions { w.text(", again "); link(r.frame, ReportLinks.requestID(index), &w) }
        for (i, r) in e.responses.enumerated() {
            w.text(" · \(r.status) ")
            link(r.frame, ReportLinks.responseID(index, i), &w)
        }
        if let ms = e.latencyMs { w.text(" · \(Int(ms.rounded())) ms") }
        for u in e.unreachable { w.text(" · ICMP \(u.reason) (frame \(u.frame))") }
        w.close("p")
    }

    /// A link to a panel of the same transaction (not by frame: one frame may carry several messages).
    public static func link(_ frame: Int, _ id: String, _ w: inout HTMLWriter) {
        w.element("a", [attr("class", "frame"), attr("href", "#" + id), attr("data-msg", id)], text: "#\(frame)")
    }

    /// Start line, headers and body as sent; header names tinted, controls made visible.
    public static func fullText(_ m: CapturedMessage, into w: inout HTMLWriter) {
        let msg = m.message
        w.open("pre")
        let start: String
        switch msg.startLine {
        case let .request(method, uri): start = "\(method) \(uri) SIP/2.0"
        case let .response(code, reason): start = "SIP/2.0 \(code) \(reason)"
        }
        w.element("span", [attr("class", "start")], text: start)
        w.text("\n")
        for h in msg.headers {
            w.element("span", [attr("class", "hname")], text: h.name)
            w.text(": " + h.value + "\n")
        }
        if !msg.body.isEmpty {
            w.text("\n")
            let shown = msg.body.prefix(bodyLimit)
            w.text(bodyText(Array(shown)))
            if msg.body.count > bodyLimit {
                w.element("span", [attr("class", "note-cut")], text: "\n… \(msg.body.count - bodyLimit) more bytes not shown")
            }
        }
        w.close("pre")
        if m.effectiveBody != msg.body {
            w.element("p", [attr("class", "note-cut")],
                      text: "The receiver read \(m.effectiveBody.count) of the \(msg.body.count) body bytes (Content-Length or the capture cut it): the table below decodes what it read.")
        }
        if m.isTruncatedByCapture {
            w.element("p", [attr("class", "note-cut")], text: "The capture's snap length cut this message: its end is missing from the file.")
        }
    }

    /// Lines as text: CR before LF dropped, a bare CR shown as `\r`, other controls escaped by the writer.
    public static func bodyText(_ bytes: [UInt8]) -> String {
        var out = ""
        let text = String(decoding: bytes, as: UTF8.self)
        var pendingCR = false
        for u in text.unicodeScalars {
            if pendingCR && u != "\n" { out += "\\r" }
            pendingCR = false
            if u == "\r" { pendingCR = true; continue }
            out.unicodeScalars.append(u)
        }
        if pendingCR { out += "\\r" }
        return out
    }

    /// The descriptions as the phone reads them: one row per description, its entries by name.
    public static func decoded(_ carried: CarriedDocument, into w: inout HTMLWriter) {
        let doc = carried.document
        w.element("h3", text: "x-buttons body, decoded (\(doc.descriptions.count) description\(doc.descriptions.count == 1 ? "" : "s"), \(doc.lineEnding.rawValue) line endings)")
        if let d = carried.contentTypeDiagnostic {
            w.element("p", [attr("class", "sev-error")], text: d.message)
        }
        w.open("table", [attr("class", "body-table")])
        w.markup("<tr><th>key</th><th>light</th><th>entries</th></tr>")
        for description in doc.descriptions.prefix(500) {
            let state = description.state
            w.open("tr")
            w.element("td", [attr("class", "mono")], text: description.key ?? "(no k=)")
            w.element("td") { w in
                let lamp = ReportLamp(light: state.light)
                w.element("span", [attr("class", "lamp " + lamp.cssClass)], text: "")
                w.text(" " + state.light)
            }
            w.element("td", [attr("class", "mono")],
                      text: description.entries.filter { $0.property != .key && $0.property != .light }
                        .map { ($0.property?.jsonName ?? $0.letter) + "=" + $0.value }.joined(separator: "  "))
            w.close("tr")
        }
        w.close("table")
        if doc.descriptions.count > 500 { w.element("p", [attr("class", "muted")], text: "… \(doc.descriptions.count - 500) more descriptions") }
        if !doc.findings.isEmpty {
            w.element("ul") { w in
                for f in doc.findings {
                    w.element("li") { w in
                        w.element("span", [attr("class", "sev-" + f.severity.rawValue)], text: f.code)
                        w.text((f.line.map { " (line \($0))" } ?? "") + ": " + f.message)
                    }
                }
            }
        }
    }
}
