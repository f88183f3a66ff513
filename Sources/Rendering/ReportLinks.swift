import Analysis

/// Where each frame's message sits in the page: the ids of the ladder's message panels, so the
/// why chain, the lanes and the panels themselves can link to a frame. Ids are our own
/// (`q12`, `a12-0`), never text from the capture.
public struct ReportLinks {
    private var byFrame: [Int: String] = [:]

    public init(ladder: [Exchange]) {
        for (i, e) in ladder.enumerated() {
            remember(e.request.frame, Self.requestID(i))
            for copy in e.retransmissions { remember(copy.frame, Self.requestID(i)) }
            for (j, r) in e.responses.enumerated() { remember(r.frame, Self.responseID(i, j)) }
            // An ICMP error has no panel of its own: it links to the request it answers.
            for u in e.unreachable { remember(u.frame, Self.requestID(i)) }
        }
    }

    /// The first message of a frame wins: a TCP segment may carry several.
    private mutating func remember(_ frame: Int, _ id: String) {
        if byFrame[frame] == nil { byFrame[frame] = id }
    }

    public static func requestID(_ index: Int) -> String { "q\(index)" }
    public static func responseID(_ index: Int, _ response: Int) -> String { "a\(index)-\(response)" }

    public func anchor(_ frame: Int) -> String? { byFrame[frame] }

    /// `#12` linked to its message panel, or plain when the frame is not in the ladder.
    public func frame(_ frame: Int, into w: inout HTMLWriter, label: String? = nil) {
        let text = label ?? "#\(frame)"
        if let id = byFrame[frame] {
            w.element("a", [attr("class", "frame"), attr("href", "#" + id), attr("data-msg", id)], text: text)
        } else {
            w.element("span", [attr("class", "mono")], text: text)
        }
    }
}
