import Capture
import Base

/// One budget for the partial TCP messages of all streams together, as gopacket and Suricata keep
/// one: each framer is bounded on its own (a 64 KiB header, a 1 MiB body), but thousands of streams
/// each holding a partial message would add up to gigabytes. Past `maxPartialBytes`, the oldest
/// partial messages (by the frame their first byte came in) are given up, each reported with its
/// frame, until a quarter of the budget is free again: one sort per quarter of the budget, so a
/// flood stays linear. A message given up is handed on without the body it had so far, so what
/// reads the messages (the analysis) does not hold that memory instead.
extension SIPMessageExtractor {
    /// Keeps `framerFootprint` in step after `key`'s framer changed, and enforces the budget.
    func accountFootprint(_ key: TCPFlowKey, before: Int, emit: (Output) -> Void) {
        framerFootprint += (framers[key]?.footprint ?? 0) - before
        if framerFootprint > maxPartialBytes { givePartialMessagesUp(emit: emit) }
    }

    private func givePartialMessagesUp(emit: (Output) -> Void) {
        let target = maxPartialBytes - maxPartialBytes / 4
        // Framers holding nothing but spare capacity go first (silently: nothing is lost), then
        // partial messages, oldest first; ties in a fixed order.
        let order = framers.map { (since: $0.value.heldSince ?? -1, key: $0.key) }
            .sorted { $0.since < $1.since || ($0.since == $1.since && $0.key.precedes($1.key)) }
        let streams = order.count
        for entry in order where framerFootprint > target {
            guard var framer = framers.removeValue(forKey: entry.key) else { continue }
            let before = framer.footprint
            let f = entry.since
            framer.giveUp(reason: Diagnostic(SIPCaptureCode.tcpMemoryBudget, .error,
                "frame \(f): partial TCP messages of \(streams) streams held more than \(maxPartialBytes >> 20) MiB in all; this one (since frame \(f)) was given up with its body, the oldest first, and reading resumes at the next SIP start line",
                frame: f)) { forward($0, entry.key, emit: emit) }
            framerFootprint += framer.footprint - before
            framers[entry.key] = framer
        }
    }
}
