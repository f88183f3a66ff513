import SIPCapture
import Analysis
import Capture
import SIP

/// Pass 1 of `export`, streamed: the frame numbers a selection needs, gathered as messages and
/// exchanges go by. Holds the selected frames (bounded by the selection) and, while a request's
/// transaction is open, the frames each copy was made of.
struct ExportFrames {
    var selection: MessageSelection
    private(set) var frames = Set<Int>()
    private(set) var messages = 0
    /// Copies of requests whose exchange has not settled: their frames, and whether one was selected.
    private var openCopies: [RequestCopy: (frames: [Int], selected: Bool)] = [:]

    init(_ selection: MessageSelection) { self.selection = selection }

    mutating func add(message m: CapturedMessage) {
        let selected = selection.matches(m)
        if selected {
            messages += 1
            frames.formUnion(m.frames)
            frames.insert(m.frame)
        }
        if m.message.isRequest && ExchangeTracker.tracks(m.message) {
            openCopies[RequestCopy(m)] = (m.frames, selected)
        }
    }

    /// A selected request brings its whole exchange: every copy, every answer, every ICMP error.
    mutating func add(exchange e: Exchange) {
        let copies = RequestCopy.all(of: e).map { ($0, openCopies.removeValue(forKey: $0)) }
        guard copies.contains(where: { $0.1?.selected == true }) else { return }
        frames.formUnion(e.request.frames)
        for (copy, seen) in copies { frames.formUnion(seen?.frames ?? [copy.frame]) }
        for r in e.responses { frames.formUnion(r.message.frames) }
        for icmp in e.unreachable { frames.insert(icmp.frame) }
    }
}
