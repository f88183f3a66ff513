import Analysis
import Buttons
import Pipeline

/// A phone's key panel as it stood at the end of the capture: one cell per key with its lamp
/// (colour and blink mode), label and caller. It shows what the phone accepted; a key nothing
/// was accepted for shows what was sent, marked `?`.
public enum ReportKeyPanel {
    public static func write(_ phone: ReportData.Phone, into w: inout HTMLWriter) {
        w.open("div", [attr("class", "panel")])
        for lane in phone.lanes {
            guard let slot = lane.slot else { continue }
            cell(slot, into: &w)
        }
        w.close("div")
    }

    public static func cell(_ slot: KeySlot, into w: inout HTMLWriter) {
        let state = slot.shown?.state ?? slot.sent?.state ?? KeyState.defaults
        let lamp = ReportLamp(light: state.light)
        var title = "key \(slot.key): light \(state.light)"
        var badge = ""
        if slot.shown == nil {
            badge = "?"
            title += " (nothing accepted: this is what was sent in frame \(slot.sent?.frame ?? 0))"
        } else if slot.sent?.state != slot.shown?.state {
            badge = "*"
            title += " (the phone shows frame \(slot.shown?.frame ?? 0); frame \(slot.sent?.frame ?? 0) was sent later and not taken)"
        }
        w.open("div", [attr("class", slot.shown == nil ? "key unsure" : "key"), attr("title", title)])
        var lampAttributes = [attr("class", "lamp " + lamp.cssClass)]
        if let colour = ReportLamp.colour(state.color) { lampAttributes.append(attr("style", "--lamp:" + colour)) }
        w.element("span", lampAttributes, text: "")
        w.element("div", [attr("class", "name")]) { w in
            w.text(slot.key + (state.label.map { " · " + $0 } ?? ""))
            if !badge.isEmpty { w.element("span", [attr("class", "badge")], text: badge) }
        }
        let sub = [state.light, state.caller ?? state.displayName, state.destination.map { "→ " + $0 }].compactMap { $0 }
        w.element("div", [attr("class", "sub")], text: sub.joined(separator: " · "))
        w.close("div")
    }

    /// The legend: every light drawn as in the panel and in the lanes.
    public static func legend(into w: inout HTMLWriter) {
        w.open("div", [attr("class", "legend")])
        for lamp in ReportLamp.allCases {
            w.element("span") { w in
                w.element("span", [attr("class", "lamp " + lamp.cssClass)], text: "")
                w.open("svg", [attr("xmlns", "http://www.w3.org/2000/svg"), attr("width", 26), attr("height", 12), attr("aria-hidden", "true")])
                w.empty("rect", [attr("width", 26), attr("height", 12), attr("fill", lamp.svgFill), attr("stroke", "#c5cad3")])
                w.close("svg")
                w.text(lamp.meaning)
            }
        }
        w.element("span", text: "✓ accepted · ✗ rejected / no answer · ? unknown · ▲ key press · ▼ fault · hatched: no answer seen, may not have been taken")
        w.close("div")
    }
}
