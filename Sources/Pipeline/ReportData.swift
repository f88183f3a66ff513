import Base
import Buttons
import Analysis
import Capture
import SIP

/// Everything the report shows, gathered in one streamed read of the capture by the same
/// analyses `summary`, `why`, `timeline`, `state` and `lint` use, each bounded: the summary's
/// tally (`SummaryTally`, whose `WhyFacts` give the why chains), the key timeline, each lane's
/// first `laneEventLimit` changes and faults, and the ladder's first `ladderLimit`
/// transactions. So a capture of any size, file or stdin, is read once in bounded memory.
public struct ReportData {
    /// A lane keeps its first this many changes and faults (the drawing shows them all).
    public static let laneEventLimit = 500
    /// The ladder stops here: a page with more arrows is too heavy to open, and each transaction
    /// is held whole (request, answers) through the run for the message viewer: 2,000 of them were
    /// 6.5 MB of a 1 GB capture's report, the part that kept it over 100 MB.
    public static let ladderLimit = 1_000
    /// Phones drawn with panels and lanes; the rest are counted.
    public static let phoneLimit = 200
    /// Events and faults kept for all lanes together: past it they are only counted.
    public static let laneBudget = 20_000
    /// ICMP errors whose time the ladder can show.
    public static let icmpLimit = 10_000

    /// One key's life: its first events in time order and the faults found in its documents.
    public struct Lane {
        public var key: String
        public var slot: KeySlot?
        public var events: [LaneEvent] = []
        public var faults: [(finding: LintFinding, time: Timestamp)] = []
        /// Every event, drawn or not.
        public var eventCount = 0
    }

    public struct Phone {
        public var panel: PhonePanel
        public var lanes: [Lane]
    }

    public var summary: CaptureSummary
    public var phones: [Phone] = []
    public var phonesTotal = 0
    /// MESSAGE and REGISTER exchanges in the ladder (capped), and how many there were in all.
    public var ladder: [Exchange] = []
    public var ladderTotal = 0
    /// Frames whose documents were sent under the wrong Content-Type: accepted, yet ignored.
    public var ignoredFrames: Set<Int> = []
    public var icmpTimes: [Int: Timestamp] = [:]

    public init(capture: CaptureSource) throws {
        let path = capture.path
        var tally = SummaryTally()
        var timeline = KeyTimeline()
        var lanes = LaneTable()
        var memo = DescriptionMemo()
        var ladder: [Exchange] = [], ladderTotal = 0, ignored = Set<Int>(), icmp: [Int: Timestamp] = [:]
        let tracked = try StreamedKeyRun().run(capture, orderedExchanges: true, onMessage: { tally.add(message: $0) }, onUnreachable: { e, time in
            if icmp.count < Self.icmpLimit { icmp[e.frame] = time }
        }, onExchange: { e in
            tally.add(exchange: e)
            guard e.method == "MESSAGE" || e.method == "REGISTER" else { return }
            ladderTotal += 1
            if ladder.count < Self.ladderLimit { ladder.append(e) }
        }) { m, exchange in
            for e in timeline.add(m, exchange: exchange) { lanes.add(e) }
            // Retransmitted copies repeat the first copy's faults.
            if let exchange, exchange.request.frame != m.frame { return }
            guard let carried = CarriedDocument(m, memo: &memo) else { return }
            if carried.hasWrongContentType && ignored.count < Self.laneBudget { ignored.insert(m.frame) }
            guard let phone = PhoneParty.phone(of: m) else { return }
            let keys = Set(carried.document.keys)
            for finding in DocumentLint.findings(for: carried) {
                // A finding of the whole document concerns every key it describes.
                for key in finding.key.map({ [$0] }) ?? keys.sorted() {
                    lanes.add(finding, time: m.time, phone: phone, key: key)
                }
            }
        }
        summary = tally.summary(tracked, path: path)
        self.ladder = ladder
        self.ladderTotal = ladderTotal
        ignoredFrames = ignored
        icmpTimes = icmp

        for panel in timeline.phones.prefix(Self.phoneLimit) {
            let byKey = lanes.byPhone[PhoneRef(user: panel.phone.user, host: panel.phone.host, contact: nil)] ?? [:]
            // Keys pressed but never sent a document still get a lane: the presses happened.
            let keys = Set(panel.keys.map(\.key)).union(byKey.filter { $0.value.eventCount > 0 }.keys)
            phones.append(Phone(panel: panel, lanes: keys.sorted(by: KeyOrder.precedes).map { key in
                let log = byKey[key] ?? LaneLog()
                return Lane(key: key, slot: panel.keys.first { $0.key == key }, events: log.events, faults: log.faults,
                            eventCount: log.eventCount)
            }))
        }
        phonesTotal = timeline.phones.count
    }

    public var start: Timestamp? { summary.tracked.start }
    public var end: Timestamp? { summary.tracked.end }
}

/// What a lane gathers while the capture streams. The lane's key slot (two key states, ~600 bytes)
/// joins it at the end: held inline in every entry of the table, it was 15 MB of an RTP-heavy
/// capture's report (200 phones of ~60 keys).
public struct LaneLog {
    public var events: [LaneEvent] = []
    public var faults: [(finding: LintFinding, time: Timestamp)] = []
    /// Every event, drawn or not.
    public var eventCount = 0
}

/// The report's lanes while the capture streams: only for the phones that will be drawn (the
/// first `ReportData.phoneLimit` in panel order, user then host), each lane capped.
public struct LaneTable {
    public private(set) var byPhone: [PhoneRef: [String: LaneLog]] = [:]
    /// Events and faults held in all lanes.
    public private(set) var kept = 0

    public mutating func add(_ e: KeyEvent) {
        change(e.phone, e.key) { l, room in
            l.eventCount += 1
            guard room && l.events.count < ReportData.laneEventLimit else { return 0 }
            l.events.append(LaneEvent(e))
            return 1
        }
    }

    public mutating func add(_ finding: LintFinding, time: Timestamp, phone: PhoneRef, key: String) {
        change(phone, key) { l, room in
            guard room && l.faults.count < ReportData.laneEventLimit else { return 0 }
            l.faults.append((finding, time))
            return 1
        }
    }

    /// `body` is told whether the budget has room, and returns how many items it added.
    private mutating func change(_ phone: PhoneRef, _ key: String, _ body: (inout LaneLog, Bool) -> Int) {
        // Lanes are per user and host, as the panels are.
        let id = PhoneRef(user: phone.user, host: phone.host, contact: nil)
        if byPhone[id] == nil && byPhone.count >= ReportData.phoneLimit {
            guard let last = byPhone.keys.max(by: Self.precedes), Self.precedes(id, last) else { return }
            kept -= byPhone[last]?.values.reduce(0) { $0 + $1.events.count + $1.faults.count } ?? 0
            byPhone[last] = nil
        }
        // In place: a lane copied out and back copied its events on every append.
        let room = kept < ReportData.laneBudget
        kept += body(&byPhone[id, default: [:]][key, default: LaneLog()], room)
    }

    public static func precedes(_ a: PhoneRef, _ b: PhoneRef) -> Bool { (a.user, a.host) < (b.user, b.host) }
}
