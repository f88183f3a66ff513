import Base
import Analysis
import Capture
import SIP
import Pipeline

/// The call flow of MESSAGE and REGISTER transactions, like sngrep's: one vertical line per host,
/// one arrow per request, retransmission, answer and ICMP error, in frame order, each naming its
/// frame and time. Clicking an arrow opens the message's panel.
public enum LadderDiagram {
    /// More hosts than this share one last column ("other hosts").
    public static let hostLimit = 16
    public static let rowHeight = 26.0
    public static let top = 46.0
    public static let left = 150.0
    public static let columnWidth = 190.0
    public static let noteWidth = 260.0

    public enum Kind: String {
        case request, retransmission, ok, provisional, error
    }

    public struct Row {
        public var frame: Int
        public var time: Timestamp
        public var from: String
        public var to: String
        public var kind: Kind
        public var label: String
        public var note: String
        public var anchor: String
        public var tooltip: String
    }

    /// Columns by address; by address and port when two parties share an address (loopback).
    public static func hostName(_ e: Endpoint, withPorts: Bool) -> String {
        withPorts ? e.description : e.address.description
    }

    public static func rows(_ ladder: [Exchange], icmpTimes: [Int: Timestamp]) -> [Row] {
        let withPorts = ladder.contains { $0.request.source.address == $0.request.destination.address }
        func host(_ e: Endpoint) -> String { hostName(e, withPorts: withPorts) }
        var rows: [Row] = []
        for (i, e) in ladder.enumerated() {
            let r = e.request
            let id = ReportLinks.requestID(i)
            let user = PhoneParty.phone(of: r)?.user
            let note = requestNote(e, user: user)
            rows.append(Row(frame: r.frame, time: r.time, from: host(r.source), to: host(r.destination), kind: .request,
                            label: e.method, note: note, anchor: id,
                            tooltip: "\(e.method) frame \(r.frame) Call-ID \(r.message.callID ?? "-"): \(e.outcome.rawValue)"))
            for copy in e.retransmissions {
                rows.append(Row(frame: copy.frame, time: copy.time, from: host(r.source), to: host(r.destination),
                                kind: .retransmission, label: e.method + " again", note: "retransmission of #\(r.frame)",
                                anchor: id, tooltip: "retransmission of frame \(r.frame)"))
            }
            for (j, answer) in e.responses.enumerated() {
                let m = answer.message
                let kind: Kind = answer.status < 200 ? .provisional : answer.status < 300 ? .ok : .error
                rows.append(Row(frame: answer.frame, time: answer.time, from: host(m.source), to: host(m.destination),
                                kind: kind, label: "\(answer.status) \(answer.reason)",
                                note: e.latencyMs.map { answer.status >= 200 ? "after \(Int($0.rounded())) ms" : "" } ?? "",
                                anchor: ReportLinks.responseID(i, j), tooltip: "\(answer.status) \(answer.reason) for frame \(r.frame)"))
            }
            for u in e.unreachable {
                rows.append(Row(frame: u.frame, time: icmpTimes[u.frame] ?? r.time, from: u.reporter.description, to: host(r.source),
                                kind: .error, label: "ICMP \(u.reason)", note: "for #\(r.frame)", anchor: id,
                                tooltip: "ICMP \(u.reason) from \(u.reporter) for frame \(r.frame)"))
            }
        }
        return rows.sorted { $0.frame < $1.frame }
    }

    /// `to 44 · k=3 c=pickup` for documents, `44 registers` for REGISTER; the outcome when it failed.
    public static func requestNote(_ e: Exchange, user: String?) -> String {
        var parts: [String] = []
        // Decoded once: a REGISTER carries no document.
        let carried = e.method == "REGISTER" ? nil : CarriedDocument(e.request)
        if e.method == "REGISTER" {
            parts.append((user ?? "?") + " registers")
        } else if let carried, PhoneParty.direction(of: e.request) == .fromPhone {
            // A key press: what the phone asks for, not a lamp.
            let press = carried.document.descriptions.first.map { d in d.entries.prefix(3).map(\.text).joined(separator: " ") } ?? ""
            parts.append((user ?? "?") + " presses " + press)
        } else if let carried {
            let descriptions = carried.document.descriptions
            let keys = descriptions.prefix(3).map { d in "k=\(d.key ?? "?") c=\(d.state.light)" }
            parts.append((user.map { "\($0): " } ?? "") + keys.joined(separator: "; ") + (descriptions.count > 3 ? " +\(descriptions.count - 3)" : ""))
        } else if let user {
            parts.append("to " + user)
        }
        if e.outcome == .unanswered || e.outcome == .unknown { parts.append(e.outcome.rawValue) }
        return parts.joined(separator: " · ")
    }

    public static func write(_ data: ReportData, into w: inout HTMLWriter) {
        let rows = rows(data.ladder, icmpTimes: data.icmpTimes)
        guard !rows.isEmpty else {
            w.element("p", [attr("class", "muted")], text: "No MESSAGE or REGISTER transactions in this capture.")
            return
        }
        var hosts: [String] = []
        for r in rows {
            for h in [r.from, r.to] where !hosts.contains(h) && hosts.count < hostLimit { hosts.append(h) }
        }
        let overflow = Set(rows.flatMap { [$0.from, $0.to] }).count > hosts.count
        if overflow { hosts.append("other hosts") }
        let names = hostLabels(data, hosts: hosts)
        func column(_ h: String) -> Int { hosts.firstIndex(of: h) ?? hosts.count - 1 }
        func x(_ i: Int) -> Double { left + columnWidth / 2 + Double(i) * columnWidth }

        let width = left + Double(hosts.count) * columnWidth + noteWidth
        let height = top + Double(rows.count) * rowHeight + 16
        w.open("div", [attr("class", "ladder-wrap")])
        w.open("svg", [attr("id", "ladder"), attr("xmlns", "http://www.w3.org/2000/svg"), attr("width", width), attr("height", height),
                       attr("viewBox", "0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))"), attr("role", "img"),
                       attr("aria-label", "MESSAGE and REGISTER call flow")])
        for (i, h) in hosts.enumerated() {
            w.element("text", [attr("class", "host-name"), attr("x", x(i)), attr("y", 16.0), attr("text-anchor", "middle")], text: h)
            if let name = names[h] {
                w.element("text", [attr("class", "note"), attr("x", x(i)), attr("y", 31.0), attr("text-anchor", "middle")], text: clip(name, 30))
            }
            w.empty("line", [attr("class", "host-line"), attr("x1", x(i)), attr("y1", top - 8), attr("x2", x(i)), attr("y2", height - 4)])
        }
        for (n, r) in rows.enumerated() {
            let y = top + Double(n) * rowHeight + rowHeight * 0.62
            let (a, b) = (column(r.from), column(r.to))
            w.open("a", [attr("class", "arrow arrow-" + r.kind.rawValue), attr("href", "#" + r.anchor), attr("data-msg", r.anchor),
                         attr("data-frame", r.frame)])
            w.element("title", text: r.tooltip)
            w.element("text", [attr("class", "when"), attr("x", 8.0), attr("y", y + 4)], text: "#\(r.frame) \(ClockTime.format(r.time))")
            let (x1, x2) = a == b ? (x(a), x(a) + 40) : (x(a), x(b))
            if a == b {
                // A host talking to itself (another port on the same column): a small loop.
                w.empty("path", [attr("class", "shaft"), attr("fill", "none"),
                                 attr("d", "M\(SVGNumber.format(x1)) \(SVGNumber.format(y - 6))h40v12h-36"),
                                 attr("marker-end", "url(#head-\(r.kind.rawValue))")])
            } else {
                let inset = x2 > x1 ? -4.0 : 4.0
                w.empty("line", [attr("class", "hit"), attr("x1", x1), attr("y1", y), attr("x2", x2), attr("y2", y)])
                w.empty("line", [attr("class", "shaft"), attr("x1", x1), attr("y1", y), attr("x2", x2 + inset), attr("y2", y),
                                 attr("marker-end", "url(#head-\(r.kind.rawValue))")])
            }
            w.element("text", [attr("class", "label"), attr("x", (x1 + x2) / 2), attr("y", y - 5), attr("text-anchor", "middle")],
                      text: clip(r.label, 28))
            let noteX = left + Double(hosts.count) * columnWidth + 8
            w.element("text", [attr("class", "note"), attr("x", noteX), attr("y", y + 4)], text: clip(r.note, 44))
            w.close("a")
        }
        w.close("svg")
        w.close("div")
    }

    /// Which phone user lives at each host, for the column heads.
    public static func hostLabels(_ data: ReportData, hosts: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for p in data.phones {
            let host = p.panel.phone.host
            for h in hosts where h == host || h.hasPrefix(host + ":") || h.hasPrefix("[" + host + "]:") {
                out[h] = out[h].map { $0 + ", " + p.panel.phone.user } ?? "phone " + p.panel.phone.user
            }
        }
        return out
    }

    public static func clip(_ s: String, _ n: Int) -> String {
        s.count > n ? String(s.prefix(n - 1)) + "…" : s
    }
}
