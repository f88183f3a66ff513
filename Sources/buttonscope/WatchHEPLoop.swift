#if canImport(Glibc)
import Glibc
#endif
import Base
import Capture
import SIP
import Pipeline
import Rendering

/// `watch --hep` without `-i`: the same loop as the interface's, fed by the collector only.
extension WatchCommand {
    func watchHEP(_ listeners: [HEPListenAddress]) throws {
        // Blocked before any thread starts, so the loop collects the signals and the -w file is flushed.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let source: WatchHEPSource
        do { source = try WatchHEPSource(listeners: listeners, write: write) } catch {
            Output.error("buttonscope: \(TerminalText.safe(OptionHint.text(error)))")
            throw ExitStatus.unusableInput
        }
        Output.error("buttonscope: listening on \(source.listeningText) for HEP"
                     + (node.map { ", node \($0) only" } ?? "") + "; Ctrl-C to stop")
        var session = WatchSession(selection: select.selection(reference: .now()), node: node) { [json] in WatchRendering.lines($0, json: json).forEach(Output.line) }
        var stop = WatchStopRule(count: count, duration: duration, start: Timestamp.now())
        var stopReason = "stopped"
        var lastTick = Timestamp.now()
        session.keepsRetired = true
        let intake = HEPIntakeThread(source: source)
        intake.start()
        while true {
            if let batch = intake.take(timeoutMs: 50) {
                try source.deliver(batch, to: &session)
                intake.recycle(batch, requests: session.takeRetired())
            }
            let now = Timestamp.now()
            // Timer F needs no finer clock than 100 ms; ticking per packet costs a scan per packet.
            if now.seconds(since: lastTick) >= 0.1 {
                session.tick(now: source.agentTime(now: now))
                lastTick = now
            }
            Output.flush()
            if let reason = stop.reason(now: now, session: session, signals: &stopSignals) { stopReason = reason; break }
        }
        for batch in intake.stop() { try source.deliver(batch, to: &session) }
        try source.flushFile()
        session.finish()
        Output.flush()
        Output.error("buttonscope: \(stopReason): \(session.documents) document\(session.documents == 1 ? "" : "s")\(session.unfollowedText); \(source.summary)")
    }
}
