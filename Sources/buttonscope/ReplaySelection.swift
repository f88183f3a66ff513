import SIPCapture
import Analysis
import Buttons
import SIP
import Pipeline
import Rendering

/// Which captured requests `replay` sends: x-buttons MESSAGEs by default, narrowed by frames,
/// phone/key, Call-ID and time. Captured retransmissions are left out (the sender retransmits
/// by itself).
struct ReplaySelection {
    var selection = MessageSelection()
    /// Send the phones' own key presses (to a PBX) instead of the documents sent to phones.
    var presses = false

    /// The messages chosen so far: only those are kept (the retransmission detector forgets
    /// what is older than Timer F).
    struct Result {
        var chosen: [CapturedMessage] = []
        var retransmissionsSkipped = 0
        /// Requests of the other direction left out: presses (by default) or documents (with `presses`).
        var otherDirectionSkipped = 0
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
        if selection.frames != nil {
            guard selection.matchesFrames(m) else { return }
        } else {
            // x-buttons by type, or by look under a wrong type (a fault --fix mends).
            guard m.message.method?.uppercased() == "MESSAGE", CarriedDocument(m) != nil else { return }
        }
        guard selection.matchesPhone(m) else { return }
        // Presses go from phone to PBX, documents from PBX to phone: one direction per replay.
        if m.message.method?.uppercased() == "MESSAGE" {
            let isPress = PhoneParty.direction(of: m) == .fromPhone
            if isPress != presses {
                if !retransmitted { result.otherDirectionSkipped += 1 }
                return
            }
        }
        guard selection.matchesKey(m), selection.matchesCallID(m), selection.matchesTime(m) else { return }
        if retransmitted { result.retransmissionsSkipped += 1; return }
        result.chosen.append(m)
    }

    static func isButtons(_ m: SIPMessage) -> Bool {
        m.contentType.map(ButtonsDocument.isButtonsContentType) ?? false
    }
}
