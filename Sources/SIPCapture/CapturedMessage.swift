import Base
import Capture
import SIP

/// A SIP message as the capture shows it: where and when it travelled, which frames carried
/// it, and what the receiver really read.
public struct CapturedMessage: Sendable {
    public var message: SIPMessage
    /// Wireshark's number of the frame that completed the message.
    public var frame: Int
    /// Every frame that carried part of it, ascending.
    public var frames: [Int]
    public var time: Timestamp
    public var transport: TransportKind
    public var source: Endpoint
    public var destination: Endpoint
    /// The capture's snap length cut the message: missing bytes are the capture's fault, not the sender's.
    public var isTruncatedByCapture: Bool
    /// Found while framing and reading the body: `content-length-mismatch`, `tcp-gap`, …
    public var diagnostics: [Diagnostic]
    /// The body as the receiver read it: cut at Content-Length, or shorter when fewer bytes came.
    public var effectiveBody: [UInt8]
    /// The tunnels it came through (VXLAN, GRE, GTP-U…), outermost first; nil when plain.
    public var tunnel: TunnelPath?
    /// The HEP envelope it came in (capture agent, correlation ID), when it was mirrored by HEP:
    /// then `source`, `destination` and `time` are the original ones the agent saw.
    public var hep: HEPEnvelope? {
        get { hepBox?.envelope }
        set { hepBox = newValue.map(HEPEnvelopeBox.init) }
    }
    /// Boxed: most messages have no envelope, and every message is moved through the frame-order
    /// and exchange queues several times; an inline envelope made each move copy ~150 bytes more.
    private var hepBox: HEPEnvelopeBox? = nil

    public init(message: SIPMessage, frame: Int, frames: [Int], time: Timestamp, transport: TransportKind,
                source: Endpoint, destination: Endpoint, isTruncatedByCapture: Bool,
                diagnostics: [Diagnostic], effectiveBody: [UInt8], tunnel: TunnelPath? = nil) {
        self.message = message
        self.frame = frame
        self.frames = frames
        self.time = time
        self.transport = transport
        self.source = source
        self.destination = destination
        self.isTruncatedByCapture = isTruncatedByCapture
        self.diagnostics = diagnostics
        self.effectiveBody = effectiveBody
        self.tunnel = tunnel
    }

    /// Bytes of body that followed the headers on the wire (as captured).
    public var bodyLength: Int { message.body.count }
}

/// A HEP envelope held by reference (see `CapturedMessage.hep`).
final class HEPEnvelopeBox: Sendable {
    let envelope: HEPEnvelope
    init(_ envelope: HEPEnvelope) { self.envelope = envelope }
}
