import Analysis
import Foundation
import Pipeline
import TestSupport
import Rendering
import SIP
import Testing
import SIPCapture
import TLSKeys

/// Issue 14: the renderers tested without the binary. Each capture of `captures/` run through the
/// pipeline in this process and rendered as the command renders it, held byte for byte to the
/// command's golden stdout: `summary`, `messages --json`, `exchanges --json`,
/// `timeline --json`, `state` (text and JSON).
@Suite struct GoldenRenderingTests {
    init() { GoldenText.prepare() }

    @Test("summary: the text the CLI printed", arguments: GoldenText.captures)
    func summary(_ capture: String) throws {
        var tally = SummaryTally()
        let tracked: TrackedCapture
        do {
            tracked = try TrackedCapture.stream(Self.source(capture), onMessage: { tally.add(message: $0) }) { tally.add(exchange: $0) }
        } catch let e as UnusableInput {
            #expect(try GoldenText.unusable(capture, "summary", e), "\(capture): \(e.description)")
            return
        }
        let summary = tally.summary(tracked, path: capture)
        #expect(GoldenText.printed(summary.text) == (try GoldenText.stdout(capture, "summary")), "\(capture): summary text differs")
    }

    @Test("messages --json: one MessagesTable object a message", arguments: GoldenText.captures)
    func messages(_ capture: String) throws {
        var detector = RetransmissionDetector()
        var lines: [String] = []
        do {
            _ = try LoadedCapture.stream(Self.source(capture)) { m in
                lines.append(MessagesTable.json(m, retransmitted: detector.isRetransmission(m)))
            }
        } catch let e as UnusableInput {
            #expect(try GoldenText.unusable(capture, "messages --json", e), "\(capture): \(e.description)")
            return
        }
        #expect(GoldenText.printed(lines) == (try GoldenText.stdout(capture, "messages --json")), "\(capture): messages JSON differs")
    }

    @Test("exchanges --json: one ExchangesTable object a transaction, in request frame order", arguments: GoldenText.captures)
    func exchanges(_ capture: String) throws {
        var lines: [String] = []
        do {
            _ = try TrackedCapture.stream(Self.source(capture)) { lines.append(ExchangesTable.json($0).rendered) }
        } catch let e as UnusableInput {
            #expect(try GoldenText.unusable(capture, "exchanges --json", e), "\(capture): \(e.description)")
            return
        }
        #expect(GoldenText.printed(lines) == (try GoldenText.stdout(capture, "exchanges --json")), "\(capture): exchanges JSON differs")
    }

    @Test("timeline --json and state: key events and panels", arguments: GoldenText.captures)
    func keys(_ capture: String) throws {
        var timeline = KeyTimeline(), panel = KeyTimeline()
        var devices = PhoneDevices()
        var cuts = SnapLengthCuts()
        var events: [String] = []
        let tracked: TrackedCapture
        do {
            tracked = try StreamedKeyRun().run(Self.source(capture), onMessage: { cuts.add($0) }) { m, exchange in
                events += timeline.add(m, exchange: exchange).map { TimelineRendering.json($0) }
                if let exchange, exchange.request.frame == m.frame { devices.add(exchange) }
                panel.update(m, exchange: exchange)
            }
        } catch let e as UnusableInput {
            #expect(try GoldenText.unusable(capture, "state", e), "\(capture): \(e.description)")
            return
        }
        #expect(GoldenText.printed(events) == (try GoldenText.stdout(capture, "timeline --json")), "\(capture): timeline JSON differs")
        let snap = tracked.loaded.statistics.snapLength
        let cut = SnapLengthText.concerns(cuts, user: nil)
        let text = StateRendering.text(panel.phones, at: nil, devices: devices, cut: cut ? SnapLengthText.lines(cuts, snapLength: snap) : [])
        #expect(GoldenText.printed(text) == (try GoldenText.stdout(capture, "state")), "\(capture): state text differs")
        var document = StateRendering.json(panel.phones, at: nil, devices: devices)
        if cut, case .object(let fields) = document {
            document = .object(fields + [("capture_truncated", SnapLengthText.json(cuts, snapLength: snap))])
        }
        document = UnreadText.adding(to: document, tracked.loaded)
        #expect(GoldenText.printed([document.rendered]) == (try GoldenText.stdout(capture, "state --json")), "\(capture): state JSON differs")
    }

    /// The capture as the CLI reads it: its TLS diagnostics name the CLI's key options
    /// (`OptionHint.tlsKeys` in the CLI), as the golden outputs do.
    static func source(_ capture: String) -> CaptureSource {
        var source = CaptureSource(path: capture)
        source.tlsRemedy = TLSKeyRemedy(keyLog: "--tls-keylog FILE", serverKey: "--tls-key FILE")
        return source
    }
}
