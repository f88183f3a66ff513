import Analysis
import Capture
import SIP

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

    /// Frame numbers to copy, and how many messages were selected.
    func frameNumbers(_ analyzed: AnalyzedCapture) -> (frames: Set<Int>, messages: Int) {
        var byFrame: [Int: CapturedMessage] = [:]
        for m in analyzed.loaded.messages { byFrame[m.frame] = m }
        let index = OutcomeIndex(analyzed.exchanges)
        var out = Set<Int>()
        var count = 0
        for m in analyzed.loaded.messages where matches(m) {
            count += 1
            out.formUnion(m.frames)
            out.insert(m.frame)
            guard m.message.isRequest, let e = index[m.frame] else { continue }
            out.formUnion(e.request.frames)
            for copy in e.retransmissions { out.formUnion(byFrame[copy.frame]?.frames ?? [copy.frame]) }
            for r in e.responses { out.formUnion(r.message.frames) }
            for icmp in e.unreachable { out.insert(icmp.frame) }
        }
        return (out, count)
    }
}
