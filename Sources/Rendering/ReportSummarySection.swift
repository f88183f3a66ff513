import Analysis
import Pipeline

/// The top of the report: what `summary` says, then the `why` chain of every key whose last
/// document did not come through (the keys `summary` suggests asking about).
public enum ReportSummarySection {
    public static func write(_ data: ReportData, links: ReportLinks, into w: inout HTMLWriter) {
        let s = data.summary
        w.open("section", [attr("class", "card"), attr("id", "summary")])
        w.element("h2", text: "Summary")
        w.open("div", [attr("class", "stats")])
        stat("\(s.tracked.loaded.statistics.frames)", "frames", "", &w)
        stat("\(s.tracked.messageCount)", "SIP messages", "", &w)
        stat("\(s.phones.count)", "phones", "", &w)
        for (outcome, count) in s.outcomes { stat("\(count)", outcome.rawValue, outcome.rawValue, &w) }
        w.close("div")
        if !s.methods.isEmpty {
            w.element("p", [attr("class", "muted")], text: "Transactions by method: " + s.methods.map { "\($0.1) \($0.0)" }.joined(separator: ", "))
        }
        phones(s, links: links, into: &w)
        problems(s, links: links, into: &w)
        w.close("section")

        w.open("section", [attr("class", "card"), attr("id", "why")])
        w.element("h2", text: "Keys whose last document did not come through")
        if s.next.isEmpty {
            w.element("p", [attr("class", "muted")], text: s.phones.contains { !$0.keys.isEmpty }
                      ? "Every key's last document came through." : "No key documents in this capture.")
        }
        for report in s.next { why(report, command: s.whyCommand(report), links: links, into: &w) }
        for n in s.notes { w.element("p", [attr("class", "muted")], text: "Note on key \(n.key) of \(n.user): \(n.text)") }
        w.close("section")
    }

    public static func stat(_ value: String, _ name: String, _ kind: String, _ w: inout HTMLWriter) {
        w.element("div", [attr("class", "stat " + kind)]) { w in
            w.element("b", text: value)
            w.text(name)
        }
    }

    public static func phones(_ s: CaptureSummary, links: ReportLinks, into w: inout HTMLWriter) {
        guard !s.phones.isEmpty else {
            w.element("p", text: "Phones: none (no REGISTER and no x-buttons MESSAGE).")
            return
        }
        w.open("table")
        w.markup("<tr><th>phone</th><th>registrations</th><th>documents</th><th>keys</th></tr>")
        for p in s.phones.prefix(500) {
            w.open("tr")
            if let d = p.device, d.model != nil {
                w.element("td", [attr("class", "mono")]) { w in
                    w.text(p.user)
                    w.element("div", [attr("class", "muted"), attr("title", "User-Agent \(d.userAgent), frame \(d.frame)")], text: d.text)
                }
            } else {
                w.element("td", [attr("class", "mono")], text: p.user)
            }
            w.element("td") { w in
                if p.registrations.isEmpty { w.element("span", [attr("class", "muted")], text: "none captured") }
                if p.registrationsNotShown > 0 { w.element("div", [attr("class", "muted")], text: "… \(p.registrationsNotShown) earlier") }
                for r in p.registrations {
                    w.element("div", [attr("class", "mono")]) { w in
                        links.frame(r.frame, into: &w)
                        w.text(" " + String(CaptureSummary.registrationText(r).dropFirst("frame \(r.frame) ".count)))
                    }
                }
            }
            w.element("td", text: "\(p.documents)")
            w.element("td", [attr("class", "mono")], text: p.keys.prefix(60).joined(separator: ", ") + (p.keys.count > 60 ? " …" : ""))
            w.close("tr")
        }
        w.close("table")
        if s.phones.count > 500 { w.element("p", [attr("class", "muted")], text: "… \(s.phones.count - 500) more phones") }
    }

    public static func problems(_ s: CaptureSummary, links: ReportLinks, into w: inout HTMLWriter) {
        w.element("h3", text: "Problems")
        guard !s.problems.isEmpty else {
            w.element("p", [attr("class", "muted")], text: "None found.")
            return
        }
        w.open("table")
        w.markup("<tr><th>severity</th><th>code</th><th>count</th><th>e.g.</th><th>what</th></tr>")
        for p in s.problems.prefix(40) {
            w.open("tr")
            w.element("td", [attr("class", "sev-" + p.severity.rawValue)], text: p.severity.rawValue)
            w.element("td", [attr("class", "mono")], text: p.code)
            w.element("td", text: "×\(p.count)")
            w.element("td") { w in if let f = p.frame { links.frame(f, into: &w) } }
            w.element("td", text: p.message)
            w.close("tr")
        }
        w.close("table")
        if s.problems.count > 40 { w.element("p", [attr("class", "muted")], text: "… \(s.problems.count - 40) more kinds") }
    }

    /// One `why` verdict: every link of the chain, the broken one first in red, later ones dimmed.
    public static func why(_ r: WhyReport, command: String, links: ReportLinks, into w: inout HTMLWriter) {
        w.open("div", [attr("class", "why")])
        w.element("h3") { w in
            w.text("Phone \(r.user), key \(r.key)")
            w.element("span", [attr("class", "verdict")], text: r.verdict.rawValue)
        }
        w.open("ol")
        var broken = false
        for link in r.chain {
            let later = broken && link.ok
            w.element("li", later ? [attr("class", "skip")] : []) { w in
                w.element("span", [attr("class", link.ok ? "ok" : "bad")], text: link.ok ? "✓ " : "✗ ")
                w.element("b", text: link.check)
                if let f = link.frame { w.text(" "); links.frame(f, into: &w, label: "frame \(f)") }
                w.text(": " + link.detail)
            }
            if !link.ok { broken = true }
        }
        w.close("ol")
        w.element("div", [attr("class", "next")]) { w in
            w.element("b", text: "Next: ")
            w.text(r.nextStep)
        }
        w.element("div", [attr("class", "muted mono")], text: command)
        w.close("div")
    }
}
