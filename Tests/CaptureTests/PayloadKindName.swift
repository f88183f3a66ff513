@testable import Capture
import TestSupport

extension NetworkPayload.Kind {
    /// The kind as a short word, for expectations that compare several at once.
    var name: String {
        switch self {
        case .ipv4: return "ipv4"
        case .ipv6: return "ipv6"
        case .other(let t): return "other(\(t))"
        }
    }
}
