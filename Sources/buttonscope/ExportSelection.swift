import Analysis
import Capture
import SIP
import Pipeline
import Rendering

/// Pass 1 of `export`: which frames a selection needs. A selected message brings every frame it
/// was made of (IP fragments, TCP segments); a selected request brings its whole exchange: its
/// retransmissions, its answers and any ICMP error about it.
struct ExportSelection {
    var frames: FrameRanges?
    var phone: String?
    var key: String?
    var callID: String?
    var from: Double?
    var until: Double?

    /// Anything beyond --frames: then frames outside SIP messages are not taken.
    var filtersMessages: Bool { phone != nil || key != nil || callID != nil || from != nil || until != nil }

    func matches(_ m: CapturedMessage) -> Bool {
        if let frames, !m.frames.contains(where: frames.contains) && !frames.contains(m.frame) { return false }
        if let callID, m.message.callID != callID { return false }
        let t = m.time.epochSeconds
        if let from, t < from { return false }
        if let until, t > until { return false }
        if phone != nil || key != nil {
            // Phones and keys are named by requests; answers come with their exchange.
            guard m.message.isRequest else { return false }
            if let phone, PhoneParty.phone(of: m)?.user != phone { return false }
            if let key {
                guard let carried = CarriedDocument(m), carried.document.descriptions.contains(where: { $0.key == key }) else { return false }
            }
        }
        return true
    }

}

/// Pass 1 of `export`, streamed: the frame numbers a selection needs, gathered as messages and
/// exchanges go by. Holds the selected frames (bounded by the selection) and, while a request's
/// transaction is open, the frames each copy was made of.
struct ExportFrames {
    var selection: ExportSelection
    private(set) var frames = Set<Int>()
    private(set) var messages = 0
    /// Copies of requests whose exchange has not settled: their frames, and whether one was selected.
    private var openCopies: [RequestCopy: (frames: [Int], selected: Bool)] = [:]

    init(_ selection: ExportSelection) { self.selection = selection }

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
