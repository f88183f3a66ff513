import Capture
import Base
import TLSDecryption

/// One budget for what all TLS connections hold together, as `PartialMessageBudget` keeps one for
/// plain TCP: each connection is bounded on its own (a record of 2^14 + 2048 bytes, a handshake
/// message of 256 KiB, the SIP framers' maxima, per direction), but thousands of connections each
/// holding a partial record or handshake message would add up to gigabytes. Past `maxHeldBytes`
/// (buffers counted by capacity), the least recently active connections give up what they hold,
/// each reported with its frame, until a quarter of the budget is free again: one sort per quarter
/// of the budget, so a flood stays linear. A connection that gave up goes on being followed: the
/// record it was in is skipped when its end comes, and the records after it are read.
extension TLSStreams {
    static func footprint(of c: Connection) -> Int {
        c.decoder.footprint + c.framers[0].footprint + c.framers[1].footprint
    }

    mutating func enforceBudget(time: Timestamp, statistics: inout ExtractionStatistics, emit: (SIPMessageExtractor.Output) -> Void) {
        guard footprint > maxHeldBytes else { return }
        let target = maxHeldBytes - maxHeldBytes / 4
        let order = connections.map { (last: $0.value.lastFrame, key: $0.key) }
            .sorted { $0.last < $1.last || ($0.last == $1.last && $0.key.precedes($1.key)) }
        let count = order.count
        for entry in order where footprint > target {
            guard var c = connections.removeValue(forKey: entry.key) else { continue }
            let before = Self.footprint(of: c)
            let f = c.lastFrame
            let reason = Diagnostic(SIPCaptureCode.tlsMemoryBudget, .error,
                "frame \(f): TLS connections (\(count)) held more than \(maxHeldBytes >> 20) MiB in all (partial records, handshake messages and SIP messages); TLS \(c.clientKey), the least recently active (last frame \(f)), gave up what it held: a record or message in progress there is lost, and reading goes on at its next record",
                frame: f)
            var outputs: [TLSConnectionDecoder.Output] = []
            var given = c.decoder.shed(frame: f) { outputs.append($0) }
            for o in outputs { apply(o, &c, time: time, statistics: &statistics, emit: emit) }
            for peer in [TLSPeer.client, .server] {
                let flow = peer == .client ? c.clientKey : c.clientKey.reversed
                given += c.framers[peer.rawValue].bufferedBytes
                c.framers[peer.rawValue].giveUp(reason: reason) { Self.frame($0, flow: flow, statistics: &statistics, emit: emit) }
            }
            if given > 0 { emit(.diagnostic(reason)) }
            footprint += Self.footprint(of: c) - before
            connections[entry.key] = c
        }
    }
}
