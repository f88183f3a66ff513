import Analysis
import Buttons
import SIP

/// Which captured requests `replay` sends: x-buttons MESSAGEs by default, narrowed by frames,
/// phone/key, Call-ID and time. Captured retransmissions are left out (the sender retransmits
/// by itself).
struct ReplaySelection {
    var frames: FrameSet?
    var phone: String?
    var key: String?
    var callID: String?
    var from: Double?
    var until: Double?

    /// The messages chosen so far: only those are kept (the retransmission detector forgets
    /// what is older than Timer F).
    struct Result {
        var chosen: [CapturedMessage] = []
        var retransmissionsSkipped = 0
        var detector = RetransmissionDetector()
    }

    func select(_ messages: [CapturedMessage]) -> Result {
        var result = Result()
        for m in messages { consider(m, into: &result) }
        return result
    }

    /// Reads one message (in frame order) and keeps it when chosen.
    func consider(_ m: CapturedMessage, into result: inout Result) {
        let retransmitted = result.detector.isRetransmission(m)
        guard m.message.isRequest else { return }
        if let frames {
            guard m.frames.contains(where: frames.contains) else { return }
        } else {
            guard m.message.method?.uppercased() == "MESSAGE", ReplaySelection.isButtons(m.message) else { return }
        }
        if let phone, PhoneParty.phone(of: m)?.user != phone { return }
        if let key, !ButtonsDocument(decoding: m.message.body).keys.contains(key) { return }
        if let callID, m.message.callID != callID { return }
        let t = m.time.epochSeconds
        if let from, t < from { return }
        if let until, t > until { return }
        if retransmitted { result.retransmissionsSkipped += 1; return }
        result.chosen.append(m)
    }

    static func isButtons(_ m: SIPMessage) -> Bool {
        (m.contentType ?? "").lowercased().contains("x-buttons")
    }
}

/// `12,15-18`: frame numbers and inclusive ranges.
struct FrameSet {
    var ranges: [ClosedRange<Int>]

    init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let n = Int(bounds[0].trimmingWhitespace), n > 0 {
                ranges.append(n...n)
            } else if bounds.count == 2, let a = Int(bounds[0].trimmingWhitespace), let b = Int(bounds[1].trimmingWhitespace), a > 0, a <= b {
                ranges.append(a...b)
            } else {
                return nil
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    func contains(_ frame: Int) -> Bool { ranges.contains { $0.contains(frame) } }
}

private extension Substring {
    var trimmingWhitespace: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
