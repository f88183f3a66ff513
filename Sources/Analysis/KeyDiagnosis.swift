import Base
import Capture

/// `why` over exchanges already in memory (tests, small inputs): each question streams them
/// through `WhyFacts` narrowed to that key, the same walk the commands do on a capture.
public struct KeyDiagnosis {
    /// In request frame order.
    public var exchanges: [Exchange]
    public var captureStart: Timestamp?
    public var captureEnd: Timestamp?

    public init(exchanges: [Exchange], captureStart: Timestamp?, captureEnd: Timestamp?) {
        self.exchanges = exchanges
        self.captureStart = captureStart
        self.captureEnd = captureEnd
    }

    public func why(user: String, key: String, at: Timestamp? = nil) -> WhyReport {
        var facts = WhyFacts(user: user, key: key, until: at)
        facts.captureStart = captureStart
        facts.captureEnd = captureEnd
        for e in exchanges { facts.add(e) }
        return facts.why(user: user, key: key)
    }
}
