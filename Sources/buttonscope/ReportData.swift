import Analysis
import Capture
import SIP

/// Everything the report shows, computed once from one read of the capture by the same
/// analyses `summary`, `why`, `timeline`, `state` and `lint` use.
struct ReportData {
    /// The ladder stops here: a page with more arrows is too heavy to open.
    static let ladderLimit = 2_000
    /// Phones drawn with panels and lanes; the rest are counted.
    static let phoneLimit = 200

    /// One key's life: its events in time order and the faults found in its documents.
    struct Lane {
        var key: String
        var slot: KeySlot?
        var events: [KeyEvent] = []
        var faults: [(finding: LintFinding, time: Timestamp)] = []
    }

    struct Phone {
        var panel: PhonePanel
        var lanes: [Lane]
    }

    var analyzed: AnalyzedCapture
    var summary: CaptureSummary
    var phones: [Phone] = []
    var phonesTotal = 0
    /// MESSAGE and REGISTER exchanges in the ladder (capped), and how many there were in all.
    var ladder: [Exchange] = []
    var ladderTotal = 0
    /// Frames whose documents were sent under the wrong Content-Type: accepted, yet ignored.
    var ignoredFrames: Set<Int> = []

    init(_ analyzed: AnalyzedCapture, path: String) {
        self.analyzed = analyzed
        summary = CaptureSummary(analyzed, path: path)
        let run = KeyTimelineRun(loaded: analyzed.loaded, outcomes: OutcomeIndex(analyzed.exchanges))

        // Per phone (user + host), per key.
        var events: [String: [String: [KeyEvent]]] = [:]
        let timeline = run.replay { e in events[Self.phoneID(e.phone), default: [:]][e.key, default: []].append(e) }

        var faults: [String: [String: [(finding: LintFinding, time: Timestamp)]]] = [:]
        for carried in run.documents() {
            let m = carried.request
            if carried.hasWrongContentType { ignoredFrames.insert(m.frame) }
            guard let phone = PhoneParty.phone(of: m) else { continue }
            let keys = Set(carried.document.keys)
            for finding in DocumentLint.findings(for: carried) {
                // A finding of the whole document concerns every key it describes.
                for key in finding.key.map({ [$0] }) ?? keys.sorted() {
                    faults[Self.phoneID(phone), default: [:]][key, default: []].append((finding, m.time))
                }
            }
        }

        for panel in timeline.phones.prefix(Self.phoneLimit) {
            let id = Self.phoneID(panel.phone)
            let byKey = events[id] ?? [:]
            // Keys pressed but never sent a document still get a lane: the presses happened.
            let keys = Array(Set(panel.keys.map(\.key) + byKey.keys)).sorted(by: KeyOrder.precedes)
            let lanes = keys.map { key in
                Lane(key: key, slot: panel.keys.first { $0.key == key }, events: byKey[key] ?? [],
                     faults: faults[id]?[key] ?? [])
            }
            phones.append(Phone(panel: panel, lanes: lanes))
        }
        phonesTotal = timeline.phones.count

        let flow = analyzed.exchanges.filter { $0.method == "MESSAGE" || $0.method == "REGISTER" }
        ladderTotal = flow.count
        ladder = Array(flow.prefix(Self.ladderLimit))
    }

    static func phoneID(_ p: PhoneRef) -> String { p.user + "\u{0}" + p.host }

    var start: Timestamp? { analyzed.start }
    var end: Timestamp? { analyzed.end }
}
