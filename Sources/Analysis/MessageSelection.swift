import Buttons
import SIPCapture
import SIP

/// The one selection of captured messages that `export`, `replay` and `watch` share (`--frames`,
/// `--phone`, `--key`, `--call-id`, `--from`, `--until`): all given must hold. Each test is
/// also offered alone, because `replay` applies them in an order of its own (it counts what
/// the direction test left out before the later tests).
public struct MessageSelection: Sendable {
    public var frames: FrameRanges?
    /// The phone's SIP user: requests concerning it (answers come with their exchange).
    public var phone: String?
    /// Documents describing this key.
    public var key: String?
    public var callID: String?
    /// Epoch seconds, inclusive.
    public var from: Double?
    public var until: Double?

    public init(frames: FrameRanges? = nil, phone: String? = nil, key: String? = nil, callID: String? = nil,
                from: Double? = nil, until: Double? = nil) {
        self.frames = frames
        self.phone = phone
        self.key = key
        self.callID = callID
        self.from = from
        self.until = until
    }

    /// Nothing given: every message matches.
    public var isEmpty: Bool { frames == nil && !filtersMessages }

    /// Anything beyond frames (then `export` takes no frame outside a SIP message).
    public var filtersMessages: Bool { phone != nil || key != nil || callID != nil || from != nil || until != nil }

    public func matches(_ m: CapturedMessage) -> Bool {
        guard matchesFrames(m), matchesCallID(m), matchesTime(m) else { return false }
        if phone != nil || key != nil {
            // Phones and keys are named by requests; answers come with their exchange.
            guard m.message.isRequest, matchesPhone(m), matchesKey(m) else { return false }
        }
        return true
    }

    /// Any frame the message was made of (IP fragments, TCP segments) is in `--frames`.
    public func matchesFrames(_ m: CapturedMessage) -> Bool {
        guard let frames else { return true }
        return m.frames.contains(where: frames.contains) || frames.contains(m.frame)
    }

    public func matchesPhone(_ m: CapturedMessage) -> Bool {
        guard let phone else { return true }
        return PhoneParty.phone(of: m)?.user == phone
    }

    /// An x-buttons document (by type, or by look under a wrong type) describing the key.
    public func matchesKey(_ m: CapturedMessage) -> Bool {
        guard let key else { return true }
        guard let carried = CarriedDocument(m) else { return false }
        return matchesKey(carried.document)
    }

    public func matchesKey(_ document: ButtonsDocument) -> Bool {
        guard let key else { return true }
        return document.descriptions.contains { $0.key == key }
    }

    public func matchesCallID(_ m: CapturedMessage) -> Bool {
        guard let callID else { return true }
        return m.message.callID == callID
    }

    public func matchesTime(_ m: CapturedMessage) -> Bool { matchesTime(m.time.epochSeconds) }

    public func matchesTime(_ t: Double) -> Bool {
        if let from, t < from { return false }
        if let until, t > until { return false }
        return true
    }
}
