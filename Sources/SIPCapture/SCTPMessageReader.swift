import Capture
import Base

/// SIP over SCTP (RFC 4168): one SIP message per SCTP user message, reassembled by
/// `SCTPReassembler`; the frame is the one that completed the user message.
public struct SCTPMessageReader {
    private var reassembler = SCTPReassembler()

    public init() {}

    public var bytesWaiting: Int { reassembler.bytesWaiting }
    public var lowestWaitingFrame: Int? { reassembler.lowestWaitingFrame }

    public mutating func add(_ datagram: IPDatagram, frame: Int, time: Timestamp, emit: (CarrierOutput) -> Void) {
        let carriedData = reassembler.add(datagram.payload, source: datagram.source, destination: datagram.destination, frame: frame) { out in
            switch out {
            case .problem(let p, let f):
                emit(.problem(p, frame: f, at: "SCTP \(datagram.source) → \(datagram.destination)"))
            case .message(let m):
                if let sip = SIPUnitReader.read(m.bytes[...], transport: .sctp, frame: m.frame, frames: m.frames, time: time,
                                                source: m.source, destination: m.destination) {
                    emit(.message(sip))
                } else {
                    emit(.unread("SCTP message, not SIP", frame: m.frame))
                }
            }
        }
        // Control chunks only (INIT, SACK, HEARTBEAT…): no message could ever come from this frame.
        if !carriedData { emit(.unread("SCTP control chunks, no data", frame: frame)) }
    }
}
