import Analysis
import Capture
import Pipeline

/// The whole report page: header, summary and why verdicts, one card per phone (panel and
/// lanes), the ladder, and the side panel that shows a clicked message.
public enum ReportPage {
    /// `version` is the footer's: the CLI owns the one version string (`--version` prints it too).
    public static func render(_ data: ReportData, path: String, nonce: String, version: String) -> String {
        var page = ""
        write(data, path: path, nonce: nonce, version: version, chunk: .max) { page += $0 }
        return page
    }

    /// The page in pieces of about `chunk` bytes to `sink`, never held whole (`HTMLWriter(to:)`).
    public static func write(_ data: ReportData, path: String, nonce: String, version: String, chunk: Int = 1 << 16,
                             to sink: @escaping (String) -> Void) {
        var w = HTMLWriter(chunk: chunk, to: sink)
        let links = ReportLinks(ladder: data.ladder)
        w.markup("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        w.markup("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        // Nothing leaves the page, and only our own script (by nonce) runs: defence in depth
        // behind the escaping.
        w.empty("meta", [attr("http-equiv", "Content-Security-Policy"),
                         attr("content", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-\(nonce)'; base-uri 'none'; form-action 'none'")])
        w.element("title", text: "ButtonScope report: " + baseName(path))
        w.markup("<style>")
        w.markup(ReportStyle.css)
        w.markup("</style></head><body>")
        w.markup(ReportStyle.svgDefs)

        w.open("header", [attr("class", "top")])
        w.element("h1", text: "ButtonScope report")
        w.element("span", [attr("class", "file")], text: path)
        w.element("span", text: span(data))
        w.markup("<nav><a href=\"#summary\">Summary</a><a href=\"#why\">Broken keys</a><a href=\"#phones\">Phones</a><a href=\"#flow\">Call flow</a></nav>")
        w.close("header")

        w.open("main")
        ReportSummarySection.write(data, links: links, into: &w)
        phones(data, links: links, into: &w)
        w.open("section", [attr("class", "card"), attr("id", "flow")])
        w.element("h2", text: "MESSAGE and REGISTER call flow")
        w.element("p", [attr("class", "muted")],
                  text: "One line per host, one arrow per request, retransmission (dashed), answer and ICMP error, in frame order. Click an arrow to read the message.")
        if data.ladderTotal > data.ladder.count {
            w.element("p", [attr("class", "note-cut")],
                      text: "Showing the first \(data.ladder.count) of \(data.ladderTotal) transactions: use `buttonscope exchanges` for all of them.")
        }
        LadderDiagram.write(data, into: &w)
        w.close("section")
        w.close("main")
        w.element("footer", [attr("class", "muted")], text: "Made by ButtonScope \(version).")

        w.open("aside", [attr("id", "viewer"), attr("aria-label", "message")])
        w.markup("<button class=\"close\" type=\"button\">close ✕</button>")
        for (i, e) in data.ladder.enumerated() {
            ReportMessageView.write(e.request, id: ReportLinks.requestID(i), exchange: e, index: i, into: &w)
            for (j, r) in e.responses.enumerated() {
                ReportMessageView.write(r.message, id: ReportLinks.responseID(i, j), exchange: e, index: i, into: &w)
            }
        }
        w.close("aside")
        w.open("script", [attr("nonce", nonce)])
        w.markup(ReportStyle.script)
        w.close("script")
        w.markup("</body></html>\n")
        w.finish()
    }

    public static func phones(_ data: ReportData, links: ReportLinks, into w: inout HTMLWriter) {
        w.open("section", [attr("class", "card"), attr("id", "phones")])
        w.element("h2", text: "Phones: key panels at the end, and every key over time")
        ReportKeyPanel.legend(into: &w)
        if data.phones.isEmpty {
            w.element("p", [attr("class", "muted")], text: "No key was sent an x-buttons document in this capture.")
        }
        if data.phonesTotal > data.phones.count {
            w.element("p", [attr("class", "note-cut")], text: "Showing \(data.phones.count) of \(data.phonesTotal) phones.")
        }
        let scale = KeyLaneSVG.Scale(start: data.start, end: data.end)
        for phone in data.phones {
            let p = phone.panel.phone
            w.open("div", [attr("class", "phone"), attr("data-user", p.user)])
            w.element("div", [attr("class", "phone-head")]) { w in
                w.element("h3", text: "Phone " + p.user)
                w.element("span", [attr("class", "muted mono")], text: "host \(p.host)" + (p.contact.map { " · contact " + $0 } ?? "")
                          + (data.summary.phones.first { $0.user == p.user }?.device.flatMap { $0.model != nil ? " · " + $0.text : nil } ?? ""))
            }
            ReportKeyPanel.write(phone, into: &w)
            w.open("div", [attr("class", "lanes")])
            KeyLaneSVG.axis(scale, into: &w)
            for lane in phone.lanes {
                KeyLaneSVG.write(lane, scale: scale, links: links, ignored: data.ignoredFrames, into: &w)
            }
            w.close("div")
            w.close("div")
        }
        w.close("section")
    }

    public static func span(_ data: ReportData) -> String {
        guard let start = data.start, let end = data.end else { return "no packets" }
        return "\(ClockTime.date(start)) \(ClockTime.format(start)) – \(ClockTime.format(end)) UTC (\(KeyDiagnosisFormat.seconds(end.seconds(since: start))))"
    }

    public static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
