import Base

/// Diagnostic codes of SIP's extraction from captures and HEP: what kept a frame or a HEP packet
/// from giving a SIP message.
public enum SIPCaptureCode: String, DiagnosticCode {
    case malformedSIP = "malformed-sip"
    case unsupportedLinkType = "unsupported-link-type"
    case tunnelTooDeep = "tunnel-too-deep"
    case tunnelMalformed = "tunnel-malformed"
    case tcpMemoryBudget = "tcp-memory-budget"
    case tlsMemoryBudget = "tls-memory-budget"
    case hepLengthPastPacket = "hep-length-past-packet"
    case hepNotHEP = "hep-not-hep"
    case hepUnread = "hep-unread"

    public var meaning: String {
        switch self {
        case .malformedSIP: "A frame's payload looked like SIP but does not parse as a SIP message."
        case .unsupportedLinkType: "The capture's link type is not one ButtonScope decodes: its frames were not read."
        case .tunnelTooDeep: "More tunnel layers than the limit: the frame was not read."
        case .tunnelMalformed: "A tunnel header (GRE, VXLAN, GTP-U, …) is damaged: the frame was not read."
        case .tcpMemoryBudget: "Partial TCP messages held more than the memory budget: the largest was given up."
        case .tlsMemoryBudget: "TLS connections held more than the memory budget: the largest was given up."
        case .hepLengthPastPacket: "A HEP3 packet declares more bytes than its datagram holds."
        case .hepNotHEP: "A datagram on the HEP port is not a HEP packet."
        case .hepUnread: "A HEP packet's payload gave no SIP message."
        }
    }
}
