import Base
import SIPCapture
import Capture
import SIP

/// Requests that matter to a phone (MESSAGE documents, REGISTERs) whose Content-Type or body the
/// capture's snap length cut away: they were on the wire, but no document can be read from them.
/// Without this, a capture taken with `tcpdump -s 200` answers "no document was sent", which
/// sends the user looking in the wrong place.
///
/// Retransmitted copies (the same kept bytes between the same endpoints) count once. Bounded:
/// `maxRemembered` copies are remembered for that, `maxFramesKept` frames kept per phone.
public struct SnapLengthCuts: Sendable {
    public struct PhoneCuts: Sendable, Equatable {
        /// MESSAGEs that could not be read (documents lost to the snap length).
        public var documents = 0
        public var registers = 0
        /// The first frames, ascending as found.
        public var frames: [Int] = []
    }

    public static let maxRemembered = 10_000
    public static let maxFramesKept = 8
    /// Who the request was for; `unknownPhone` when the cut took the user too.
    public private(set) var byUser: [String: PhoneCuts] = [:]
    public static let unknownPhone = ""
    private var seen: Set<Int> = []

    public init() {}

    public var isEmpty: Bool { byUser.isEmpty }
    public var documents: Int { byUser.values.reduce(0) { $0 + $1.documents } }
    public var registers: Int { byUser.values.reduce(0) { $0 + $1.registers } }

    /// A MESSAGE to a phone cut before its Content-Type, or with its body cut to nothing; or any
    /// REGISTER the capture cut (a REGISTER has no body: the cut took headers).
    public static func isCut(_ m: CapturedMessage) -> Bool {
        guard m.isTruncatedByCapture, m.message.isRequest, let method = m.message.method?.tokenUppercased else { return false }
        switch method {
        case "REGISTER": return true
        case "MESSAGE":
            guard PhoneParty.direction(of: m) == .toPhone, CarriedDocument(m) == nil else { return false }
            return m.message.contentType == nil || m.effectiveBody.isEmpty
        default: return false
        }
    }

    /// Counts `m` if it is cut (`isCut`) and not a copy already counted; returns whether it was.
    @discardableResult
    public mutating func add(_ m: CapturedMessage) -> Bool {
        guard Self.isCut(m) else { return false }
        var h = Hasher()
        h.combine(m.source)
        h.combine(m.destination)
        h.combine(m.message.startLine)
        for header in m.message.headers { h.combine(header.key); h.combine(header.value) }
        let copy = h.finalize()
        if seen.contains(copy) { return false }
        if seen.count < Self.maxRemembered { seen.insert(copy) }
        let user = PhoneParty.phone(of: m)?.user ?? Self.unknownPhone
        var cuts = byUser[user] ?? PhoneCuts()
        if m.message.method?.tokenUppercased == "REGISTER" { cuts.registers += 1 } else { cuts.documents += 1 }
        if cuts.frames.count < Self.maxFramesKept { cuts.frames.append(m.frame) }
        byUser[user] = cuts
        return true
    }

    /// Phones in a stable order: numeric users numerically, then by name, the unknown last.
    public var users: [String] {
        byUser.keys.sorted { a, b in
            if a.isEmpty != b.isEmpty { return !a.isEmpty }
            switch (Int(a), Int(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a < b
            }
        }
    }

    /// The sentences every command prints: one per phone, then the command that captures whole
    /// packets. `snapLength`: the most bytes the capture kept of a packet it cut.
    public func sentences(snapLength: Int?, only user: String? = nil) -> [String] {
        let kept = snapLength.map { "the capture kept only \($0) bytes of each packet" } ?? "the capture's snap length cut them"
        var out: [String] = []
        for u in users where user == nil || u == user || u == Self.unknownPhone {
            guard let c = byUser[u] else { continue }
            let phone = u.isEmpty ? "a phone the cut left unnamed" : "phone \(u)"
            var what: [String] = []
            if c.documents > 0 { what.append("\(c.documents) document\(c.documents == 1 ? "" : "s") to \(phone)") }
            if c.registers > 0 { what.append("\(c.registers) REGISTER\(c.registers == 1 ? "" : "s") of \(phone)") }
            let frames = c.frames.map(String.init).joined(separator: ", ") + (c.documents + c.registers > c.frames.count ? ", …" : "")
            out.append("\(what.joined(separator: " and ")) could not be read because \(kept) (frame\(c.frames.count == 1 ? "" : "s") \(frames)).")
        }
        guard !out.isEmpty else { return [] }
        out.append("Capture whole packets: " + Self.wholePacketsCommand)
        return out
    }

    public static let wholePacketsCommand = "tcpdump -s 0 -i any -w phone.pcap port 5060 or port 5061"
}
