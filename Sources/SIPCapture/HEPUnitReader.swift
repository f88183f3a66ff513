import SIP
import Capture
import Base

/// A HEP packet's payload as a SIP message between the original endpoints at the original
/// capture time; the envelope (node, correlation ID) rides along. The frame is the HEP packet's.
public enum HEPUnitReader {
    /// The transport the capture agent saw (chunk 2); UDP when it did not say.
    static func transport(_ envelope: HEPEnvelope) -> TransportKind {
        switch envelope.ipProtocol {
        case 6: return .tcp
        case 132: return .sctp
        default: return .udp
        }
    }

    /// Why a packet carries no SIP to read, told from its envelope alone (no payload, or a payload
    /// type that is not SIP); nil when its payload should be read. A collector asks before a packet
    /// waits in its reorder window.
    static func whyNotSIP(_ packet: HEPPacket) -> String? {
        guard packet.payload != nil else { return "HEP packet without a readable payload" }
        if let type = packet.envelope.payloadType, type != 1 { return "HEP payload type \(type), not SIP" }
        return nil
    }

    /// Turns one decoded HEP packet into outputs. `outer`: the HEP packet's own endpoints, used
    /// when the envelope lacks the original ones.
    public static func read(_ packet: HEPPacket, frame: Int, frames: [Int], time: Timestamp,
                            outerSource: Endpoint, outerDestination: Endpoint, emit: (CarrierOutput) -> Void) {
        // Made only for a packet with problems: a collector reads every packet here, and two
        // endpoints' strings a packet were a thirtieth of its intake.
        if !packet.problems.isEmpty {
            let place = "HEP\(packet.envelope.version) \(outerSource) → \(outerDestination)"
            for p in packet.problems { emit(.problem(p, frame: frame, at: place)) }
        }
        if let why = whyNotSIP(packet) {
            emit(.unread(why, frame: frame))
            return
        }
        guard let payload = packet.payload else { return }
        var e = packet.envelope
        if e.agent == nil { e.agent = outerSource }
        guard let m = SIPUnitReader.read(payload[...], transport: transport(e), frame: frame, frames: frames,
                                         time: e.time ?? time, source: e.source ?? outerSource,
                                         destination: e.destination ?? outerDestination, hep: e) else {
            emit(.unread("HEP payload, not SIP", frame: frame))
            return
        }
        emit(.message(m))
    }

    /// A UDP datagram that may be HEP: false when it is not (read it as plain SIP then).
    public static func readDatagram(_ u: UDPDatagram, frame: Int, time: Timestamp, emit: (CarrierOutput) -> Void) -> Bool {
        guard HEPDecoder.mayBegin(u.payload) else { return false }
        switch HEPDecoder.decode(u.payload) {
        case .notHEP(let problem):
            guard let problem else { return false }
            emit(.problem(problem, frame: frame, at: "UDP \(u.source) → \(u.destination)"))
            emit(.unread("HEP packet without a readable payload", frame: frame))
        case .needMore(let declared):
            emit(.problem(CarrierProblem(code: SIPCaptureCode.hepLengthPastPacket, message: "a HEP3 packet declares \(declared) bytes but the datagram holds \(u.payload.count)"),
                          frame: frame, at: "UDP \(u.source) → \(u.destination)"))
            emit(.unread("HEP packet without a readable payload", frame: frame))
        case .packet(let p):
            read(p, frame: frame, frames: u.frames.sorted(), time: time, outerSource: u.source, outerDestination: u.destination, emit: emit)
        }
        return true
    }
}
