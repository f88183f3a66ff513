import SIP

/// The end of one client transaction that got a final answer.
public struct TransactionResult: Sendable {
    /// The request as stamped and sent (the bytes are in `requestBytes`).
    public var request: SIPMessage
    public var requestBytes: [UInt8]
    /// The final response (status ≥ 200).
    public var response: SIPMessage
    /// 1xx responses seen before it.
    public var provisional: [SIPMessage]
    /// Seconds from the first transmission to the final response.
    public var latency: Double
    /// How many times the request went out (1 + retransmissions).
    public var transmissions: Int
    /// `127.0.0.1:40000` → `127.0.0.1:5060` over `transport`.
    public var local: String
    public var remote: String
    public var transport: SIPTransportKind

    public var statusCode: Int { response.statusCode ?? 0 }
    public var reasonPhrase: String { response.reasonPhrase ?? "" }
    /// 2xx: the target took the request.
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}
