import SIPCapture
import Analysis
import Capture
import Base
import SIP

/// The file pipeline run one frame at a time: extractor → live pairing → key timeline, handing
/// each event on (`onEvent`) as it is decided. Holds only what the pipeline stages bound.
public struct WatchSession {
    /// Which documents count (`--frames`, `--phone`, `--key`, `--call-id`, `--from`, `--until`).
    public let selection: MessageSelection
    /// Only messages mirrored by this capture agent (its HEP node ID).
    public let node: UInt32?

    private let extractor = SIPMessageExtractor()
    private var exchanges = LiveExchanges()
    private var timeline = KeyTimeline()
    /// Documents printed and still waiting for a final answer: their frames, and the phone each
    /// concerns (an answer's line names it; finding it again cost two URI parses an answer).
    private var shown: [Int: String?] = [:]
    public private(set) var frames = 0
    public private(set) var documents = 0
    /// The first PBX (HEP agent) seen, and whether another followed: once there are several,
    /// lines name theirs. Kept as keys, not labels: a label per message was a string built per message.
    private var firstPBX: PBXKey?
    private var severalPBXs = false
    /// Labels already made, per PBX (bounded: a fleet past the bound makes its labels afresh).
    private var pbxLabels: [PBXKey: String] = [:]

    /// Where decided events go (the CLI renders and prints them).
    public let onEvent: (WatchEvent) -> Void

    public init(selection: MessageSelection = MessageSelection(), node: UInt32? = nil, onEvent: @escaping (WatchEvent) -> Void) {
        self.selection = selection
        self.node = node
        self.onEvent = onEvent
    }

    /// With a pairing table of `pairingLimit` requests (the bound's tests).
    init(pairingLimit: Int, onEvent: @escaping (WatchEvent) -> Void) {
        self.init(onEvent: onEvent)
        exchanges = LiveExchanges(limit: pairingLimit)
    }

    /// A message a HEP agent mirrored (from `HEPCollector`, in order, without copies).
    public mutating func process(hep m: CapturedMessage) {
        frames += 1
        var m = m
        if sharedNumbering { m.frame = frames; m.frames = [frames] }
        if !severalPBXs, let key = PBXKey(m) {
            if let firstPBX { severalPBXs = key != firstPBX } else { firstPBX = key }
        }
        handle(m)
    }

    /// A problem the collector found in what an agent sent.
    public func report(_ d: Diagnostic) {
        onEvent(.diagnostic(d))
    }

    /// The PBX column, only when a fleet has more than one.
    private mutating func pbx(_ m: CapturedMessage) -> String? {
        guard severalPBXs, let key = PBXKey(m) else { return nil }
        if let label = pbxLabels[key] { return label }
        let label = key.label
        if pbxLabels.count < 10_000 { pbxLabels[key] = label }
        return label
    }

    /// What tells PBXs apart in a line: the node ID, or the agent's address when it sent none.
    /// Equal keys are equal labels (`pbxLabel`).
    private enum PBXKey: Hashable {
        case node(UInt32)
        case agent(Endpoint)
        case unnamed

        init?(_ m: CapturedMessage) {
            guard let e = m.hep else { return nil }
            self = e.nodeID.map(PBXKey.node) ?? e.agent.map(PBXKey.agent) ?? .unnamed
        }

        var label: String {
            switch self {
            case .node(let id): return "node \(id)"
            case .agent(let a): return "agent \(a)"
            case .unnamed: return "node -"
            }
        }
    }

    /// The PBX a message came from, as a line shows it: "node 2001" (or its agent's address);
    /// nil for a message from an interface.
    public static func pbxLabel(_ m: CapturedMessage) -> String? {
        PBXKey(m)?.label
    }

    public var awaitingAnswers: Int { shown.count }

    /// Documents shown whose answer is no longer followed: the pairing table, full, let them go
    /// unanswered. Said on stop, never silent.
    public private(set) var unfollowed = 0

    /// ", N documents no longer followed …" for a stop line, empty when none.
    public var unfollowedText: String {
        unfollowed == 0 ? "" : ", \(unfollowed) document\(unfollowed == 1 ? "" : "s") no longer followed (the pairing table of \(exchanges.limit) requests was full before an answer came)"
    }

    /// Keep the requests the pairing table lets go for `takeRetired()` instead of freeing them
    /// here (a collector frees them on its intake thread, which made them).
    public var keepsRetired: Bool {
        get { exchanges.keepsRetired }
        set { exchanges.keepsRetired = newValue }
    }

    /// The requests let go since the last call, when `keepsRetired` is set.
    public mutating func takeRetired() -> [LiveExchanges.Pending] { exchanges.takeRetired() }

    /// Both an interface and HEP feed this session: one numbering for both (no -w file to match).
    public var sharedNumbering = false

    public mutating func process(_ frame: CapturedFrame) {
        frames += 1
        var frame = frame
        if sharedNumbering { frame.number = frames }
        var outputs: [SIPMessageExtractor.Output] = []
        extractor.process(frame) { outputs.append($0) }
        outputs.forEach { handle($0) }
    }

    /// Timer F for documents nobody answered.
    public mutating func tick(now: Timestamp) {
        for p in exchanges.expire(now: now) {
            guard let user = shown.removeValue(forKey: p.request.frame) else { continue }
            onEvent(.unanswered(p, reason: "no answer within Timer F (32 s)", time: now, user: user, pbx: pbx(p.request)))
        }
    }

    /// Streams still open give what they hold.
    public mutating func finish() {
        var outputs: [SIPMessageExtractor.Output] = []
        extractor.finish { outputs.append($0) }
        outputs.forEach { handle($0) }
    }

    private mutating func handle(_ output: SIPMessageExtractor.Output) {
        switch output {
        case .message(let m): handle(m)
        case .diagnostic(let d): onEvent(.diagnostic(d))
        case .unreachable(let icmp, let time):
            if let p = exchanges.add(icmp), let user = shown.removeValue(forKey: p.request.frame) {
                onEvent(.unanswered(p, reason: "ICMP \(icmp.reason) from \(icmp.reporter) (frame \(icmp.frame))", time: time, user: user, pbx: nil))
            }
        }
    }

    private mutating func handle(_ m: CapturedMessage) {
        // Decided as the request is kept, so the pairing table knows its later copies and answers
        // are shown without reading the request again.
        var document: CarriedDocument?
        let selection = selection, node = node
        let event = exchanges.add(m) { request in
            guard let carried = CarriedDocument(request), Self.selects(carried, selection, node) else { return nil }
            document = carried
            return .some(carried.phone?.user)
        }
        // Documents the full table let go unanswered: nothing more will come for them.
        if !exchanges.evictedShown.isEmpty {
            for frame in exchanges.takeEvictedShown() { shown[frame] = nil; unfollowed += 1 }
        }
        switch event {
        case .request:
            guard let carried = document else { return }
            documents += 1
            shown[m.frame] = .some(carried.phone?.user)
            let findings = DocumentLint.findings(for: carried)
            onEvent(.document(carried, findings: findings, pbx: pbx(m)))
            for event in timeline.add(carried, outcome: .unknown, status: nil) where selection.key == nil || event.key == selection.key {
                onEvent(.key(event, from: m, pbx: pbx(m)))
            }
        case .retransmission(let copy, let pending):
            guard shown[pending.request.frame] != nil || pending.finalStatus != nil && pending.shown != nil else { return }
            onEvent(.retransmission(copy, of: pending, pbx: pbx(copy)))
        case .answer(let response, let pending, let isFirstFinal):
            let user: String?
            if let waiting = shown[pending.request.frame] {
                user = waiting
                if isFirstFinal { shown[pending.request.frame] = nil }
            } else if let late = pending.shown {
                user = late
            } else {
                return
            }
            onEvent(.answer(response, to: pending, user: user, pbx: pbx(response)))
        case .unmatched:
            break
        }
    }

    private static func selects(_ carried: CarriedDocument, _ selection: MessageSelection, _ node: UInt32?) -> Bool {
        let m = carried.request
        guard selection.matchesPhone(m), selection.matchesKey(carried.document), selection.matchesFrames(m),
              selection.matchesCallID(m), selection.matchesTime(m) else { return false }
        if let node, carried.request.hep?.nodeID != node { return false }
        return true
    }
}
