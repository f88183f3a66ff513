/// The fresh identifiers of one transaction: nothing is reused from a capture, so the target
/// cannot take a replayed request for a retransmission of the original.
public struct TransactionIdentity: Hashable, Sendable {
    /// Top Via branch, with RFC 3261's magic cookie `z9hG4bK`.
    public var branch: String
    public var callID: String
    public var fromTag: String
    public var cseq: UInt32

    public init(branch: String, callID: String, fromTag: String, cseq: UInt32) {
        self.branch = branch
        self.callID = callID
        self.fromTag = fromTag
        self.cseq = cseq
    }

    /// Random identifiers (64 to 96 bits each: unique without coordination).
    public static func fresh<G: RandomNumberGenerator>(cseq: UInt32, using rng: inout G) -> TransactionIdentity {
        TransactionIdentity(branch: "z9hG4bK" + hex(8, &rng), callID: hex(12, &rng) + "@buttonscope",
                            fromTag: hex(5, &rng), cseq: cseq)
    }

    static func hex<G: RandomNumberGenerator>(_ bytes: Int, _ rng: inout G) -> String {
        let digits = Array("0123456789abcdef")
        var s = ""
        for _ in 0..<bytes {
            let b = UInt8.random(in: 0...255, using: &rng)
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0x0f)])
        }
        return s
    }
}
