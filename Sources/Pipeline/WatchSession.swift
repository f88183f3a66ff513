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
    /// Frames of the documents printed and still waiting for a final answer.
    private var shown: Set<Int> = []
    public private(set) var frames = 0
    public private(set) var documents = 0
    /// The PBXs (HEP agents) seen so far: once there are several, lines name theirs.
    private var pbxs: Set<String> = []

    /// Where decided events go (the CLI renders and prints them).
    public let onEvent: (WatchEvent) -> Void

    public init(selection: MessageSelection = MessageSelection(), node: UInt32? = nil, onEvent: @escaping (WatchEvent) -> Void) {
        self.selection = selection
        self.node = node
        self.onEvent = onEvent
    }

    /// A message a HEP agent mirrored (from `HEPCollector`, in order, without copies).
    public mutating func process(hep m: CapturedMessage) {
        frames += 1
        var m = m
        if sharedNumbering { m.frame = frames; m.frames = [frames] }
        if let label = Self.pbxLabel(m), pbxs.count < 10_000 { pbxs.insert(label) }
        handle(m)
    }

    /// A problem the collector found in what an agent sent.
    public func report(_ d: Diagnostic) {
        onEvent(.diagnostic(d))
    }

    /// The PBX column, only when a fleet has more than one.
    private func pbx(_ m: CapturedMessage) -> String? {
        pbxs.count > 1 ? Self.pbxLabel(m) : nil
    }

    /// The PBX a message came from, as a line shows it: "node 2001" (or its agent's address);
    /// nil for a message from an interface.
    public static func pbxLabel(_ m: CapturedMessage) -> String? {
        guard let e = m.hep else { return nil }
        return e.nodeID.map { "node \($0)" } ?? e.agent.map { "agent \($0)" } ?? "node -"
    }

    public var awaitingAnswers: Int { shown.count }

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
        for p in exchanges.expire(now: now) where shown.contains(p.request.frame) {
            shown.remove(p.request.frame)
            onEvent(.unanswered(p, reason: "no answer within Timer F (32 s)", time: now, pbx: pbx(p.request)))
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
            if let p = exchanges.add(icmp), shown.contains(p.request.frame) {
                shown.remove(p.request.frame)
                onEvent(.unanswered(p, reason: "ICMP \(icmp.reason) from \(icmp.reporter) (frame \(icmp.frame))", time: time, pbx: nil))
            }
        }
    }

    private mutating func handle(_ m: CapturedMessage) {
        switch exchanges.add(m) {
        case .request:
            guard let carried = CarriedDocument(m), selects(carried) else { return }
            documents += 1
            shown.insert(m.frame)
            let findings = DocumentLint.findings(for: carried)
            onEvent(.document(carried, findings: findings, pbx: pbx(m)))
            for event in timeline.add(carried, outcome: .unknown, status: nil) where selection.key == nil || event.key == selection.key {
                onEvent(.key(event, from: m, pbx: pbx(m)))
            }
        case .retransmission(let copy, let pending):
            guard shown.contains(pending.request.frame) || pending.finalStatus != nil && isShownDocument(pending) else { return }
            onEvent(.retransmission(copy, of: pending, pbx: pbx(copy)))
        case .answer(let response, let pending, let isFirstFinal):
            guard shown.contains(pending.request.frame) || isShownDocument(pending) else { return }
            if isFirstFinal { shown.remove(pending.request.frame) }
            onEvent(.answer(response, to: pending, pbx: pbx(response)))
        case .unmatched:
            break
        }
    }

    /// A document this session printed (answered already): its late copies and answers print too.
    private func isShownDocument(_ p: LiveExchanges.Pending) -> Bool {
        guard let carried = CarriedDocument(p.request) else { return false }
        return selects(carried)
    }

    private func selects(_ carried: CarriedDocument) -> Bool {
        let m = carried.request
        guard selection.matchesPhone(m), selection.matchesKey(carried.document), selection.matchesFrames(m),
              selection.matchesCallID(m), selection.matchesTime(m) else { return false }
        if let node, carried.request.hep?.nodeID != node { return false }
        return true
    }
}
