/// Frames the pipeline could not turn into SIP, counted by reason, so that no command ever
/// answers "0 SIP messages" without saying what the capture held instead.
///
/// A reason is a short phrase a person reads ("GRE tunnel deeper than 8 layers",
/// "TLS without keys", "UDP, not SIP"); `UnreadReason` names the common ones. Each frame is
/// counted once, under the reason of the layer that gave up on it. The first (lowest) frame of
/// each reason is kept, to point at.
public struct UnreadFrames: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var frames: Int
        public var firstFrame: Int
    }
    public private(set) var byReason: [String: Count] = [:]
    /// Every frame counted, kept as it goes: the extractor checks its books once per frame.
    public private(set) var total = 0
    /// Distinct reasons are few in practice; a hostile capture could invent many (every unknown
    /// EtherType): past this many, new reasons are folded into "other".
    public static let maxReasons = 64

    public init() {}

    /// One frame given up on, for `reason`.
    public mutating func count(_ reason: String, frame: Int) {
        count(reason, frames: 1, firstFrame: frame)
    }

    /// `frames` frames given up on at once (a datagram's fragments, a TCP connection's segments),
    /// the lowest of them `firstFrame`.
    public mutating func count(_ reason: String, frames: Int, firstFrame: Int) {
        guard frames > 0 else { return }
        var key = reason
        if byReason[key] == nil && byReason.count >= Self.maxReasons { key = "other" }
        if var c = byReason[key] {
            c.frames += frames
            c.firstFrame = min(c.firstFrame, firstFrame)
            byReason[key] = c
        } else {
            byReason[key] = Count(frames: frames, firstFrame: firstFrame)
        }
        total += frames
    }

    /// Reasons, most frames first, then by name: a stable order for output.
    public var sorted: [(reason: String, count: Count)] {
        byReason.map { ($0.key, $0.value) }.sorted { $0.1.frames != $1.1.frames ? $0.1.frames > $1.1.frames : $0.0 < $1.0 }
    }
}
