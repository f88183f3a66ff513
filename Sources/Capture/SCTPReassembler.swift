import Base

/// SCTP (IP protocol 132, RFC 9260) to user messages: DATA chunks (several per packet) and I-DATA
/// chunks (RFC 8260), fragments joined by their B/E flags in TSN order per stream, chunks seen twice
/// (a retransmission: same TSN) dropped, every other chunk type skipped by its length.
///
/// Bounded: at most `maxPendingBytes` of fragments wait per association direction and at most
/// `maxDirections` directions are followed; past either, the oldest waiting fragments are dropped
/// and reported.
public struct SCTPReassembler {
    public struct Message: Sendable {
        public var source: Endpoint
        public var destination: Endpoint
        public var bytes: [UInt8]
        public var streamID: UInt16
        public var ppid: UInt32
        /// The frame that completed the message, and every frame that carried part of it.
        public var frame: Int
        public var frames: [Int]
    }

    public enum Output {
        case message(Message)
        case problem(CarrierProblem, frame: Int)
    }

    private struct DirectionKey: Hashable { var source: Endpoint; var destination: Endpoint }
    private struct Fragment { var tsn: UInt32; var begin: Bool; var end: Bool; var ppid: UInt32; var data: ArraySlice<UInt8>; var frame: Int }
    private struct Direction {
        /// Fragments waiting, per stream (I-DATA: per stream and message ID).
        var pending: [UInt64: [Fragment]] = [:]
        var pendingBytes = 0
        /// Recent TSNs, to drop retransmitted chunks: a bounded window.
        var seen: Set<UInt32> = []
        var seenOrder: [UInt32] = []
    }

    public var maxPendingBytes = 1 << 20
    public var maxDirections = 4096
    public var maxMessageBytes = 1 << 20
    private static let seenWindow = 4096
    private var directions: [DirectionKey: Direction] = [:]

    public init() {}

    public var bytesWaiting: Int { directions.values.reduce(0) { $0 + $1.pendingBytes } }
    public var lowestWaitingFrame: Int? {
        directions.values.lazy.flatMap { $0.pending.values.joined() }.map(\.frame).min()
    }

    /// Reads one SCTP packet (the IP payload) from `source` to `destination` addresses. True when
    /// it carried a DATA or I-DATA chunk (a control-only packet carries no message).
    @discardableResult
    public mutating func add(_ packet: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress, frame: Int, emit: (Output) -> Void) -> Bool {
        var carriedData = false
        let s = packet.startIndex
        guard packet.count >= 12, let sp = packet.u16be(s), let dp = packet.u16be(s + 2) else {
            emit(.problem(CarrierProblem(code: CaptureCode.sctpMalformed, message: "an SCTP packet shorter than its 12-byte common header"), frame: frame))
            return false
        }
        let key = DirectionKey(source: Endpoint(address: source, port: sp), destination: Endpoint(address: destination, port: dp))
        var i = s + 12
        while i < packet.endIndex {
            guard packet.endIndex - i >= 4, let type = packet.u8(i), let flags = packet.u8(i + 1), let length16 = packet.u16be(i + 2) else {
                emit(.problem(CarrierProblem(code: CaptureCode.sctpChunkTruncated, message: "an SCTP chunk header is cut by the packet's end"), frame: frame))
                return carriedData
            }
            let length = Int(length16)
            guard length >= 4, i + length <= packet.endIndex else {
                emit(.problem(CarrierProblem(code: CaptureCode.sctpChunkLength, message: "SCTP chunk type \(type) declares \(length) bytes, but \(packet.endIndex - i) are left in the packet: the rest is skipped"), frame: frame))
                return carriedData
            }
            let body = packet[(i + 4)..<(i + length)]
            i += (length + 3) & ~3
            switch type {
            case 0: // DATA: TSN, stream, stream sequence number, PPID, data
                guard body.count >= 12, let tsn = body.u32be(body.startIndex), let sid = body.u16be(body.startIndex + 4),
                      let ppid = body.u32be(body.startIndex + 8) else {
                    emit(.problem(CarrierProblem(code: CaptureCode.sctpChunkLength, message: "an SCTP DATA chunk of \(length) bytes is too short for its header"), frame: frame))
                    continue
                }
                carriedData = true
                let fragment = Fragment(tsn: tsn, begin: flags & 0x02 != 0, end: flags & 0x01 != 0, ppid: ppid, data: body.dropFirst(12), frame: frame)
                take(fragment, stream: UInt64(sid), sid: sid, key: key, emit: emit)
            case 64: // I-DATA: TSN, stream, reserved, message ID, PPID or fragment sequence number, data
                guard body.count >= 16, let tsn = body.u32be(body.startIndex), let sid = body.u16be(body.startIndex + 4),
                      let mid = body.u32be(body.startIndex + 8), let ppidOrFSN = body.u32be(body.startIndex + 12) else {
                    emit(.problem(CarrierProblem(code: CaptureCode.sctpChunkLength, message: "an SCTP I-DATA chunk of \(length) bytes is too short for its header"), frame: frame))
                    continue
                }
                let begin = flags & 0x02 != 0
                carriedData = true
                let fragment = Fragment(tsn: tsn, begin: begin, end: flags & 0x01 != 0, ppid: begin ? ppidOrFSN : 0, data: body.dropFirst(16), frame: frame)
                take(fragment, stream: UInt64(sid) << 32 | UInt64(mid), sid: sid, key: key, emit: emit)
            default:
                continue
            }
        }
        return carriedData
    }

    private mutating func take(_ fragment: Fragment, stream: UInt64, sid: UInt16, key: DirectionKey, emit: (Output) -> Void) {
        if directions[key] == nil && directions.count >= maxDirections {
            if let victim = directions.max(by: { $0.value.pendingBytes < $1.value.pendingBytes })?.key { directions[victim] = nil }
            emit(.problem(CarrierProblem(code: CaptureCode.sctpTooManyAssociations, message: "more than \(maxDirections) SCTP association directions at once; the fullest one's waiting fragments were dropped"), frame: fragment.frame))
        }
        var d = directions[key] ?? Direction()
        defer { directions[key] = d }
        guard d.seen.insert(fragment.tsn).inserted else { return } // a retransmission
        d.seenOrder.append(fragment.tsn)
        if d.seenOrder.count > Self.seenWindow * 2 {
            for t in d.seenOrder.prefix(Self.seenWindow) { d.seen.remove(t) }
            d.seenOrder.removeFirst(Self.seenWindow)
        }
        if fragment.begin && fragment.end {
            emit(.message(Message(source: key.source, destination: key.destination, bytes: Array(fragment.data), streamID: sid,
                                  ppid: fragment.ppid, frame: fragment.frame, frames: [fragment.frame])))
            return
        }
        var list = d.pending[stream] ?? []
        list.append(fragment)
        list.sort { $0.tsn &- $1.tsn > 0x8000_0000 } // TSN order, wrap-around aware
        d.pendingBytes += fragment.data.count
        if d.pendingBytes > maxPendingBytes {
            emit(.problem(CarrierProblem(code: CaptureCode.sctpReassemblyOverflow, message: "more than \(maxPendingBytes / 1024) KiB of SCTP fragments waiting from \(key.source) to \(key.destination); they were dropped"), frame: fragment.frame))
            d.pending = [:]
            d.pendingBytes = 0
            return
        }
        // A run B … E of consecutive TSNs is a whole message (out of order: any run may complete).
        var b = 0
        while b < list.count {
            guard list[b].begin else { b += 1; continue }
            var k = b
            while !list[k].end, k + 1 < list.count, list[k + 1].tsn == list[k].tsn &+ 1, !list[k + 1].begin { k += 1 }
            guard list[k].end else { b = k + 1; continue }
            let run = list[b...k]
            var bytes: [UInt8] = []
            for f in run { bytes += f.data }
            let frames = Array(Set(run.map(\.frame))).sorted()
            d.pendingBytes -= run.reduce(0) { $0 + $1.data.count }
            let ppid = run.first!.ppid
            list.removeSubrange(b...k)
            if bytes.count <= maxMessageBytes {
                emit(.message(Message(source: key.source, destination: key.destination, bytes: bytes, streamID: sid,
                                      ppid: ppid, frame: frames.max()!, frames: frames)))
            }
        }
        d.pending[stream] = list.isEmpty ? nil : list
    }
}
