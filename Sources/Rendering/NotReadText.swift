import SIPCapture
import SIP

/// What a capture held that was not read, in words and in JSON: the frames each reason covers
/// and the first of them, so that "0 SIP messages" never stands alone.
public enum NotReadText {
    /// Reasons listed before "… N more".
    public static let shownReasons = 8

    /// `20 RTP/RTCP-like UDP (first frame 5); 4 DNS on UDP 53 (first frame 1)`.
    public static func reasons(_ unread: UnreadFrames) -> String {
        let all = unread.sorted
        var parts = all.prefix(shownReasons).map { "\($0.count.frames) \(TerminalText.safe($0.reason)) (first frame \($0.count.firstFrame))" }
        if all.count > shownReasons {
            let rest = all.dropFirst(shownReasons).reduce(0) { $0 + $1.count.frames }
            parts.append("… \(all.count - shownReasons) more reasons (\(rest) frames)")
        }
        return parts.joined(separator: "; ")
    }

    /// "Not read: 57 frames — …", or "57 frames, none of them SIP: …" when nothing was SIP; nil
    /// when every frame was read.
    public static func line(_ s: ExtractionStatistics) -> String? {
        guard s.unread.total > 0 else { return nil }
        if s.sipMessages == 0 && s.framesRead == 0 {
            return "\(s.frames) frame\(s.frames == 1 ? "" : "s"), none of them SIP: " + reasons(s.unread)
        }
        return "Not read: \(s.unread.total) frame\(s.unread.total == 1 ? "" : "s") — " + reasons(s.unread)
    }

    /// `{"frames": 57, "reasons": [{"reason", "frames", "first_frame"}]}`.
    public static func json(_ s: ExtractionStatistics) -> JSONValue {
        .object([
            ("frames", .int(s.unread.total)),
            ("reasons", .array(s.unread.sorted.map { r in
                .object([("reason", .string(r.reason)), ("frames", .int(r.count.frames)), ("first_frame", .int(r.count.firstFrame))])
            })),
        ])
    }
}
