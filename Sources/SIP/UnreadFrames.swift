/// Frames the pipeline could not turn into SIP, counted by reason, so that no command ever
/// answers "0 SIP messages" without saying what the capture held instead.
///
/// A reason is a short phrase a person reads ("GRE tunnel deeper than 8 layers",
/// "TLS without keys", "UDP, not SIP"); each frame is counted once, under the reason of the
/// layer that gave up on it. The first frame of each reason is kept, to point at.
public struct UnreadFrames: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var frames: Int
        public var firstFrame: Int
    }
    public private(set) var byReason: [String: Count] = [:]
    /// Distinct reasons are few in practice; a hostile capture could invent many (every unknown
    /// EtherType): past this many, new reasons are folded into "other".
    public static let maxReasons = 64

    public init() {}

    public mutating func count(_ reason: String, frame: Int) {
        var key = reason
        if byReason[key] == nil && byReason.count >= Self.maxReasons { key = "other" }
        if byReason[key] == nil { byReason[key] = Count(frames: 0, firstFrame: frame) }
        byReason[key]!.frames += 1
    }

    public var total: Int { byReason.values.reduce(0) { $0 + $1.frames } }

    /// Reasons, most frames first, then by name: a stable order for output.
    public var sorted: [(reason: String, count: Count)] {
        byReason.map { ($0.key, $0.value) }.sorted { $0.1.frames != $1.1.frames ? $0.1.frames > $1.1.frames : $0.0 < $1.0 }
    }
}
