import Base
import Analysis
import Buttons
import Capture
import Pipeline

/// One key's life as an SVG lane over the capture's time: the lamp's light as coloured spans
/// (what the phone took), a mark at every document naming its frame and fate, presses below,
/// and the faults found in its documents as red triangles.
public enum KeyLaneSVG {
    public static let width = 1100.0
    public static let height = 60.0
    public static let pad = 12.0
    public static let bandY = 22.0
    public static let bandHeight = 16.0
    /// Events drawn per lane; a busier lane says how many it left out.
    public static let eventLimit = ReportData.laneEventLimit

    /// Maps capture time onto the lane's width.
    public struct Scale {
        public var start: Timestamp
        public var span: Double

        public init(start: Timestamp?, end: Timestamp?) {
            let s = start ?? Timestamp(seconds: 0, nanoseconds: 0)
            self.start = s
            self.span = max(0.001, (end ?? s).seconds(since: s))
        }

        public func x(_ t: Timestamp) -> Double {
            let f = min(1, max(0, t.seconds(since: start) / span))
            return KeyLaneSVG.pad + f * (KeyLaneSVG.width - 2 * KeyLaneSVG.pad)
        }
    }

    /// The time axis above a phone's lanes: five ticks with UTC times.
    public static func axis(_ scale: Scale, into w: inout HTMLWriter) {
        w.open("div", [attr("class", "axis")])
        w.element("div", [attr("class", "lane-name muted")], text: "UTC")
        w.open("svg", [attr("xmlns", "http://www.w3.org/2000/svg"), attr("viewBox", "0 0 1100 22"), attr("aria-hidden", "true")])
        for i in 0...4 {
            let f = Double(i) / 4
            let at = TrackedCapture.timestamp(scale.start.epochSeconds + scale.span * f)
            let x = pad + f * (width - 2 * pad)
            let anchor = i == 0 ? "start" : i == 4 ? "end" : "middle"
            w.empty("line", [attr("x1", x), attr("y1", 16.0), attr("x2", x), attr("y2", 22.0), attr("stroke", "#9aa3af")])
            w.element("text", [attr("x", x), attr("y", 12.0), attr("text-anchor", anchor), attr("font-size", 11.0), attr("fill", "#5f6b7a")],
                      text: ClockTime.format(at))
        }
        w.close("svg")
        w.close("div")
    }

    public static func write(_ lane: ReportData.Lane, scale: Scale, links: ReportLinks, ignored: Set<Int>, into w: inout HTMLWriter) {
        let shownState = lane.slot?.shown?.state ?? lane.slot?.sent?.state
        w.open("div", [attr("class", "key-lane"), attr("data-key", lane.key)])
        w.element("div", [attr("class", "lane-name")]) { w in
            w.element("b", text: "key " + lane.key)
            let sub = [shownState?.label, shownState?.caller ?? shownState?.displayName].compactMap { $0 }.filter { !$0.isEmpty }
            if !sub.isEmpty { w.element("span", text: sub.joined(separator: " · ")) }
        }
        w.open("svg", [attr("xmlns", "http://www.w3.org/2000/svg"), attr("viewBox", "0 0 1100 60"), attr("role", "img"),
                       attr("aria-label", "key " + lane.key + " over time")])
        w.empty("rect", [attr("x", pad), attr("y", bandY), attr("width", width - 2 * pad), attr("height", bandHeight),
                         attr("fill", "#f5f6f8"), attr("stroke", "#e1e4e8")])
        let events = Array(lane.events.prefix(eventLimit))
        spans(events, scale: scale, ignored: ignored, into: &w)
        marks(events, scale: scale, links: links, ignored: ignored, into: &w)
        faults(lane.faults, scale: scale, links: links, into: &w)
        if lane.eventCount > events.count {
            w.element("text", [attr("x", width - pad), attr("y", 56.0), attr("text-anchor", "end"), attr("font-size", 10.0), attr("fill", "#b26a00")],
                      text: "first \(events.count) of \(lane.eventCount) changes drawn")
        }
        w.close("svg")
        w.close("div")
    }

    /// What the lamp showed: a document changes it when the phone accepted it (solid) or when the
    /// capture cannot tell (hatched); rejected, unanswered and ignored documents leave it as it was.
    public static func spans(_ events: [LaneEvent], scale: Scale, ignored: Set<Int>, into w: inout HTMLWriter) {
        var changes: [(time: Timestamp, event: LaneEvent, unsure: Bool)] = []
        for e in events where e.direction == .toPhone {
            if e.outcome == .accepted && !ignored.contains(e.frame) { changes.append((e.time, e, false)) }
            if e.outcome == .unknown && !ignored.contains(e.frame) { changes.append((e.time, e, true)) }
        }
        for (i, c) in changes.enumerated() {
            let x1 = scale.x(c.time)
            let x2 = i + 1 < changes.count ? scale.x(changes[i + 1].time) : width - pad
            let spanWidth = max(1.5, x2 - x1)
            let lamp = ReportLamp(light: c.event.light)
            w.open("g")
            w.element("title", text: "light \(c.event.light) from frame \(c.event.frame)" + (c.unsure ? " (no answer in the capture: the phone may not have taken it)" : "")
                      + (c.event.label.map { ", label \($0)" } ?? "") + (c.event.caller.map { ", caller \($0)" } ?? ""))
            w.empty("rect", [attr("class", "span span-" + lamp.rawValue), attr("x", x1), attr("y", bandY), attr("width", spanWidth),
                             attr("height", bandHeight), attr("fill", lamp.svgFill)])
            if c.unsure {
                w.empty("rect", [attr("x", x1), attr("y", bandY), attr("width", spanWidth), attr("height", bandHeight),
                                 attr("fill", "url(#pat-unsure)"), attr("stroke", "#b26a00"), attr("stroke-dasharray", "3 2")])
            }
            if spanWidth > 54 {
                w.element("text", [attr("x", x1 + 5), attr("y", bandY + 12), attr("font-size", 11.0),
                                   attr("fill", lamp == .on || lamp == .offline || lamp == .error ? "#fff" : "#1d2330"),
                                   attr("stroke", lamp == .on || lamp == .offline || lamp == .error ? "none" : "#fff"),
                                   attr("stroke-width", 3.0), attr("paint-order", "stroke")],
                          text: LadderDiagram.clip(c.event.light, 12))
            }
            w.close("g")
        }
    }

    /// A tick per document (coloured by its fate, labelled `#12 ✓` where there is room) and a
    /// small blue triangle per key press.
    public static func marks(_ events: [LaneEvent], scale: Scale, links: ReportLinks, ignored: Set<Int>, into w: inout HTMLWriter) {
        var lastLabel = -Double.infinity
        for e in events {
            let x = scale.x(e.time)
            let (word, colour) = fate(e, ignored: ignored)
            let anchor = links.anchor(e.frame)
            if let anchor { w.open("a", [attr("href", "#" + anchor), attr("data-msg", anchor), attr("class", "mark")]) } else { w.open("g") }
            if e.direction == .fromPhone {
                let press = (e.press ?? []).map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                w.element("title", text: "frame \(e.frame): key press from the phone \(press) (\(e.outcome.rawValue))")
                w.empty("path", [attr("d", "M\(SVGNumber.format(x)) 42l-5 8h10z"), attr("fill", "#2457a6")])
            } else {
                w.element("title", text: "frame \(e.frame) at \(ClockTime.format(e.time)): light \(e.light), \(word)"
                          + (e.changed.isEmpty ? "" : "; changed " + e.changed.joined(separator: ", "))
                          + (e.isPartial ? "; document cut short" : ""))
                w.empty("line", [attr("x1", x), attr("y1", bandY - 4), attr("x2", x), attr("y2", bandY + bandHeight + 4),
                                 attr("stroke", colour), attr("stroke-width", 2.0)])
                w.empty("circle", [attr("cx", x), attr("cy", bandY - 4), attr("r", 2.5), attr("fill", colour)])
                if x - lastLabel >= 58 {
                    w.element("text", [attr("x", x), attr("y", 13.0), attr("text-anchor", x < 40 ? "start" : x > width - 40 ? "end" : "middle"),
                                       attr("font-size", 10.5), attr("fill", colour)], text: "#\(e.frame) \(symbol(e, ignored: ignored))")
                    lastLabel = x
                }
            }
            w.close(anchor == nil ? "g" : "a")
        }
    }

    /// `accepted`, `rejected 404`…, and the colour of its mark.
    public static func fate(_ e: LaneEvent, ignored: Set<Int>) -> (String, String) {
        if ignored.contains(e.frame) { return ("accepted but ignored: wrong Content-Type", "#c62828") }
        switch e.outcome {
        case .accepted: return ("accepted" + (e.status.map { " \($0)" } ?? ""), "#2e7d32")
        case .rejected: return ("rejected \(e.status ?? 0)", "#c62828")
        case .unanswered: return ("unanswered", "#c62828")
        case .unknown: return ("unknown (no answer in the capture)", "#b26a00")
        }
    }

    public static func symbol(_ e: LaneEvent, ignored: Set<Int>) -> String {
        if ignored.contains(e.frame) { return "✗ type" }
        switch e.outcome {
        case .accepted: return "✓"
        case .rejected: return "✗ \(e.status ?? 0)"
        case .unanswered: return "✗ no answer"
        case .unknown: return "?"
        }
    }

    /// Red triangles under the band where a document of this key had a fault, one per frame and code.
    public static func faults(_ list: [(finding: LintFinding, time: Timestamp)], scale: Scale, links: ReportLinks, into w: inout HTMLWriter) {
        var seen = Set<String>()
        for (f, time) in list.prefix(eventLimit) {
            guard seen.insert("\(f.frame) \(f.code)").inserted else { continue }
            let x = scale.x(time)
            let colour = f.severity == .error ? "#c62828" : f.severity == .warning ? "#b26a00" : "#5f6b7a"
            let anchor = links.anchor(f.frame)
            if let anchor { w.open("a", [attr("href", "#" + anchor), attr("data-msg", anchor), attr("class", "fault")]) } else { w.open("g", [attr("class", "fault")]) }
            w.element("title", text: "frame \(f.frame): \(f.severity.rawValue) \(f.code): \(f.message)")
            w.empty("path", [attr("d", "M\(SVGNumber.format(x)) 60l-5.5 -9h11z"), attr("fill", colour)])
            w.element("text", [attr("x", x), attr("y", 58.0), attr("text-anchor", "middle"), attr("font-size", 7.5), attr("fill", "#fff")], text: "!")
            w.close(anchor == nil ? "g" : "a")
        }
    }
}
