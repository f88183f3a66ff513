import Analysis
import Capture
import SIP

/// Everything the report shows, gathered in one streamed read of the capture by the same
/// analyses `summary`, `why`, `timeline`, `state` and `lint` use, each bounded: the summary's
/// tally (`SummaryTally`, whose `WhyFacts` give the why chains), the key timeline, each lane's
/// first `KeyLaneSVG.eventLimit` changes and faults, and the ladder's first `ladderLimit`
/// transactions. So a capture of any size, file or stdin, is read once in bounded memory.
struct ReportData {
    /// The ladder stops here: a page with more arrows is too heavy to open.
    static let ladderLimit = 2_000
    /// Phones drawn with panels and lanes; the rest are counted.
    static let phoneLimit = 200
    /// Events and faults kept for all lanes together: past it they are only counted.
    static let laneBudget = 1_000_000
    /// ICMP errors whose time the ladder can show.
    static let icmpLimit = 10_000

    /// One key's life: its first events in time order and the faults found in its documents.
    struct Lane {
        var key: String
        var slot: KeySlot?
        var events: [KeyEvent] = []
        var faults: [(finding: LintFinding, time: Timestamp)] = []
        /// Every event, drawn or not.
        var eventCount = 0
    }

    struct Phone {
        var panel: PhonePanel
        var lanes: [Lane]
    }

    var summary: CaptureSummary
    var phones: [Phone] = []
    var phonesTotal = 0
    /// MESSAGE and REGISTER exchanges in the ladder (capped), and how many there were in all.
    var ladder: [Exchange] = []
    var ladderTotal = 0
    /// Frames whose documents were sent under the wrong Content-Type: accepted, yet ignored.
    var ignoredFrames: Set<Int> = []
    var icmpTimes: [Int: Timestamp] = [:]

    init(path: String) throws {
        var tally = SummaryTally()
        var timeline = KeyTimeline()
        var lanes: [String: [String: Lane]] = [:]
        var kept = 0
        func lane(_ phone: PhoneRef, _ key: String, _ change: (inout Lane) -> Void) {
            let id = Self.phoneID(phone)
            var l = lanes[id]?[key] ?? Lane(key: key)
            change(&l)
            lanes[id, default: [:]][key] = l
        }
        var ladder: [Exchange] = [], ladderTotal = 0, ignored = Set<Int>(), icmp: [Int: Timestamp] = [:]
        let tracked = try StreamedKeyRun().run(path, onMessage: { tally.add(message: $0) }, onUnreachable: { e, time in
            if icmp.count < Self.icmpLimit { icmp[e.frame] = time }
        }, onExchange: { e in
            tally.add(exchange: e)
            guard e.method == "MESSAGE" || e.method == "REGISTER" else { return }
            ladderTotal += 1
            if ladder.count < Self.ladderLimit { ladder.append(e) }
        }) { m, exchange in
            for e in timeline.add(m, exchange: exchange) {
                lane(e.phone, e.key) { l in
                    l.eventCount += 1
                    if l.events.count < KeyLaneSVG.eventLimit && kept < Self.laneBudget { l.events.append(e); kept += 1 }
                }
            }
            // Retransmitted copies repeat the first copy's faults.
            if let exchange, exchange.request.frame != m.frame { return }
            guard let carried = CarriedDocument(m) else { return }
            if carried.hasWrongContentType && ignored.count < Self.laneBudget { ignored.insert(m.frame) }
            guard let phone = PhoneParty.phone(of: m) else { return }
            let keys = Set(carried.document.keys)
            for finding in DocumentLint.findings(for: carried) {
                // A finding of the whole document concerns every key it describes.
                for key in finding.key.map({ [$0] }) ?? keys.sorted() {
                    lane(phone, key) { l in
                        if l.faults.count < KeyLaneSVG.eventLimit && kept < Self.laneBudget { l.faults.append((finding, m.time)); kept += 1 }
                    }
                }
            }
        }
        summary = tally.summary(tracked, path: path)
        self.ladder = ladder
        self.ladderTotal = ladderTotal
        ignoredFrames = ignored
        icmpTimes = icmp

        for panel in timeline.phones.prefix(Self.phoneLimit) {
            let byKey = lanes[Self.phoneID(panel.phone)] ?? [:]
            // Keys pressed but never sent a document still get a lane: the presses happened.
            let keys = Set(panel.keys.map(\.key)).union(byKey.filter { $0.value.eventCount > 0 }.keys)
            phones.append(Phone(panel: panel, lanes: keys.sorted(by: KeyOrder.precedes).map { key in
                var l = byKey[key] ?? Lane(key: key)
                l.slot = panel.keys.first { $0.key == key }
                return l
            }))
        }
        phonesTotal = timeline.phones.count
    }

    static func phoneID(_ p: PhoneRef) -> String { p.user + "\u{0}" + p.host }

    var start: Timestamp? { summary.tracked.start }
    var end: Timestamp? { summary.tracked.end }
}
