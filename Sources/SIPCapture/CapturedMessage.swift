import Base
import Capture
import SIP

/// A SIP message as the capture shows it: where and when it travelled, which frames carried
/// it, and what the receiver really read.
public struct CapturedMessage: Sendable {
    /// Everything held once, by reference, copied only when a shared message is changed (copy on
    /// write): a message moves through the reorder window, the handoff between threads, the
    /// frame-order and exchange queues and the pairing table, and each move of a dozen inline
    /// references was a dozen retains and releases and a few hundred bytes copied.
    /// `@unchecked Sendable`: a storage is changed only through `unique()`, when no other message holds it.
    /// `@exclusivity(unchecked)`: for the same reason no two accesses can overlap, and the runtime's
    /// check of every access was 2% of a collector's CPU.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline @exclusivity(unchecked) var message: SIPMessage
        @usableFromInline @exclusivity(unchecked) var frame: Int
        @usableFromInline @exclusivity(unchecked) var frames: [Int]
        @usableFromInline @exclusivity(unchecked) var time: Timestamp
        @usableFromInline @exclusivity(unchecked) var transport: TransportKind
        @usableFromInline @exclusivity(unchecked) var source: Endpoint
        @usableFromInline @exclusivity(unchecked) var destination: Endpoint
        @usableFromInline @exclusivity(unchecked) var isTruncatedByCapture: Bool
        @usableFromInline @exclusivity(unchecked) var diagnostics: [Diagnostic]
        @usableFromInline @exclusivity(unchecked) var effectiveBody: [UInt8]
        @usableFromInline @exclusivity(unchecked) var tunnel: TunnelPath?
        @usableFromInline @exclusivity(unchecked) var hepBox: HEPEnvelopeBox?

        @usableFromInline
        init(message: SIPMessage, frame: Int, frames: [Int], time: Timestamp, transport: TransportKind, source: Endpoint, destination: Endpoint, isTruncatedByCapture: Bool, diagnostics: [Diagnostic], effectiveBody: [UInt8], tunnel: TunnelPath?, hepBox: HEPEnvelopeBox?) {
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
            self.hepBox = hepBox
        }

        @usableFromInline
        func copy() -> Storage {
            Storage(message: message, frame: frame, frames: frames, time: time, transport: transport, source: source, destination: destination, isTruncatedByCapture: isTruncatedByCapture, diagnostics: diagnostics, effectiveBody: effectiveBody, tunnel: tunnel, hepBox: hepBox)
        }
    }

    @usableFromInline var storage: Storage

    /// The storage, copied first when another message shares it.
    @inlinable
    mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The message as parsed.
    @inlinable public var message: SIPMessage {
        _read { yield storage.message }
        set { unique().message = newValue }
        _modify { let s = unique(); yield &s.message }
    }
    /// Wireshark's number of the frame that completed the message.
    @inlinable public var frame: Int {
        get { storage.frame }
        set { unique().frame = newValue }
        _modify { let s = unique(); yield &s.frame }
    }
    /// Every frame that carried part of it, ascending.
    @inlinable public var frames: [Int] {
        _read { yield storage.frames }
        set { unique().frames = newValue }
        _modify { let s = unique(); yield &s.frames }
    }
    @inlinable public var time: Timestamp {
        get { storage.time }
        set { unique().time = newValue }
        _modify { let s = unique(); yield &s.time }
    }
    @inlinable public var transport: TransportKind {
        get { storage.transport }
        set { unique().transport = newValue }
        _modify { let s = unique(); yield &s.transport }
    }
    @inlinable public var source: Endpoint {
        get { storage.source }
        set { unique().source = newValue }
        _modify { let s = unique(); yield &s.source }
    }
    @inlinable public var destination: Endpoint {
        get { storage.destination }
        set { unique().destination = newValue }
        _modify { let s = unique(); yield &s.destination }
    }
    /// The capture's snap length cut the message: missing bytes are the capture's fault, not the sender's.
    @inlinable public var isTruncatedByCapture: Bool {
        get { storage.isTruncatedByCapture }
        set { unique().isTruncatedByCapture = newValue }
        _modify { let s = unique(); yield &s.isTruncatedByCapture }
    }
    /// Found while framing and reading the body: `content-length-mismatch`, `tcp-gap`, …
    @inlinable public var diagnostics: [Diagnostic] {
        _read { yield storage.diagnostics }
        set { unique().diagnostics = newValue }
        _modify { let s = unique(); yield &s.diagnostics }
    }
    /// The body as the receiver read it: cut at Content-Length, or shorter when fewer bytes came.
    @inlinable public var effectiveBody: [UInt8] {
        _read { yield storage.effectiveBody }
        set { unique().effectiveBody = newValue }
        _modify { let s = unique(); yield &s.effectiveBody }
    }
    /// The tunnels it came through (VXLAN, GRE, GTP-U…), outermost first; nil when plain.
    @inlinable public var tunnel: TunnelPath? {
        _read { yield storage.tunnel }
        set { unique().tunnel = newValue }
        _modify { let s = unique(); yield &s.tunnel }
    }
    /// The HEP envelope it came in (capture agent, correlation ID), when it was mirrored by HEP:
    /// then `source`, `destination` and `time` are the original ones the agent saw.
    public var hep: HEPEnvelope? {
        get { storage.hepBox?.envelope }
        set { unique().hepBox = newValue.map(HEPEnvelopeBox.init) }
    }

    public init(message: SIPMessage, frame: Int, frames: [Int], time: Timestamp, transport: TransportKind,
                source: Endpoint, destination: Endpoint, isTruncatedByCapture: Bool,
                diagnostics: [Diagnostic], effectiveBody: [UInt8], tunnel: TunnelPath? = nil, hep: HEPEnvelope? = nil) {
        storage = Storage(message: message, frame: frame, frames: frames, time: time, transport: transport,
                          source: source, destination: destination, isTruncatedByCapture: isTruncatedByCapture,
                          diagnostics: diagnostics, effectiveBody: effectiveBody, tunnel: tunnel, hepBox: hep.map(HEPEnvelopeBox.init))
    }

    /// Bytes of body that followed the headers on the wire (as captured).
    @inlinable public var bodyLength: Int { storage.message.body.count }
}

/// A HEP envelope held by reference (see `CapturedMessage.hep`).
@usableFromInline
final class HEPEnvelopeBox: Sendable {
    let envelope: HEPEnvelope
    init(_ envelope: HEPEnvelope) { self.envelope = envelope }
}
