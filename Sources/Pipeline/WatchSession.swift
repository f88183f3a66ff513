import Analysis
import Capture
import Diagnostics
import SIP

/// The file pipeline run one frame at a time: extractor → live pairing → key timeline, printing
/// each event as it is decided. Holds only what the pipeline stages bound.
struct WatchSession {
    let phone: String?
    let key: String?
    let json: Bool
    /// Only messages mirrored by this capture agent (its HEP node ID).
    let node: UInt32?

    private let extractor = SIPMessageExtractor()
    private var exchanges = LiveExchanges()
    private var timeline = KeyTimeline()
    /// Frames of the documents printed and still waiting for a final answer.
    private var shown: Set<Int> = []
    private(set) var frames = 0
    private(set) var documents = 0
    /// The PBXs (HEP agents) seen so far: once there are several, lines name theirs.
    private var pbxs: Set<String> = []

    init(phone: String?, key: String?, json: Bool, node: UInt32? = nil) {
        self.phone = phone
        self.key = key
        self.json = json
        self.node = node
    }

    /// A message a HEP agent mirrored (from `HEPCollector`, in order, without copies).
    mutating func process(hep m: CapturedMessage) {
        frames += 1
        var m = m
        if sharedNumbering { m.frame = frames; m.frames = [frames] }
        if let label = WatchFleetRendering.label(m), pbxs.count < 10_000 { pbxs.insert(label) }
        handle(m)
    }

    /// A problem the collector found in what an agent sent.
    func report(_ d: Diagnostic) {
        emit(WatchRendering.diagnostic(d, json: json))
    }

    /// The PBX column, only when a fleet has more than one.
    private func pbx(_ m: CapturedMessage) -> String? {
        pbxs.count > 1 ? WatchFleetRendering.label(m) : nil
    }

    var awaitingAnswers: Int { shown.count }

    /// Both an interface and HEP feed this session: one numbering for both (no -w file to match).
    var sharedNumbering = false

    mutating func process(_ frame: CapturedFrame) {
        frames += 1
        var frame = frame
        if sharedNumbering { frame.number = frames }
        var outputs: [SIPMessageExtractor.Output] = []
        extractor.process(frame) { outputs.append($0) }
        outputs.forEach { handle($0) }
    }

    /// Timer F for documents nobody answered.
    mutating func tick(now: Timestamp) {
        for p in exchanges.expire(now: now) where shown.contains(p.request.frame) {
            shown.remove(p.request.frame)
            emit(WatchRendering.unanswered(p, reason: "no answer within Timer F (32 s)", time: now, json: json, pbx: pbx(p.request)))
        }
    }

    /// Streams still open give what they hold.
    mutating func finish() {
        var outputs: [SIPMessageExtractor.Output] = []
        extractor.finish { outputs.append($0) }
        outputs.forEach { handle($0) }
    }

    private mutating func handle(_ output: SIPMessageExtractor.Output) {
        switch output {
        case .message(let m): handle(m)
        case .diagnostic(let d): emit(WatchRendering.diagnostic(d, json: json))
        case .unreachable(let icmp, let time):
            if let p = exchanges.add(icmp), shown.contains(p.request.frame) {
                shown.remove(p.request.frame)
                emit(WatchRendering.unanswered(p, reason: "ICMP \(icmp.reason) from \(icmp.reporter) (frame \(icmp.frame))", time: time, json: json))
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
            emit(WatchRendering.document(carried, findings: findings, json: json, pbx: pbx(m)))
            for event in timeline.add(m, outcome: .unknown, status: nil) where key == nil || event.key == key {
                emit(WatchRendering.key(event, json: json, from: m, pbx: pbx(m)))
            }
        case .retransmission(let copy, let pending):
            guard shown.contains(pending.request.frame) || pending.finalStatus != nil && isShownDocument(pending) else { return }
            emit(WatchRendering.retransmission(copy, of: pending, json: json, pbx: pbx(copy)))
        case .answer(let response, let pending, let isFirstFinal):
            guard shown.contains(pending.request.frame) || isShownDocument(pending) else { return }
            if isFirstFinal { shown.remove(pending.request.frame) }
            emit(WatchRendering.answer(response, to: pending, json: json, pbx: pbx(response)))
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
        if let phone, PhoneParty.phone(of: carried.request)?.user != phone { return false }
        if let key, !carried.document.descriptions.contains(where: { $0.key == key }) { return false }
        if let node, carried.request.hep?.nodeID != node { return false }
        return true
    }

    private func emit(_ lines: [String]) {
        lines.forEach(Output.line)
    }
}
