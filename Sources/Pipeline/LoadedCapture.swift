import TLSKeys
import SIPCapture
import Foundation
import Capture
import Base
import SIP

/// What the pipeline got out of one capture: the SIP messages in frame order, the ICMP errors,
/// and every problem found on the way.
///
/// `stream` hands messages to the caller as they come and keeps none: memory stays bounded
/// whatever the capture's size.
public struct LoadedCapture {
    public var path: String
    public var format: String
    /// Capture-level problems (file damage, fragments, stream gaps), in the order found; at most
    /// `maxKeptDiagnostics` (a hostile capture can have millions), the rest only counted.
    public var diagnostics: [Diagnostic] = []
    public var droppedDiagnostics = 0
    public var statistics = ExtractionStatistics()
    /// Every TLS secret the run had: from `--tls-keylog`/`--tls-key`/SSLKEYLOGFILE and from the
    /// capture's Decryption Secrets Blocks (`export` embeds those its connections need).
    public var tlsSecrets = TLSSecrets()
    /// The key log read (nil when none was given), for "keys missing" advice.
    public var tlsKeyLog: KeyLogSource?

    public static let maxKeptDiagnostics = 10_000

    /// Reads the whole capture, handing each message (in frame order) and each ICMP error to the
    /// callbacks as soon as its turn comes; keeps none of them. Diagnostics go to `onDiagnostic`
    /// when given, else are kept (bounded). Throws `UnusableInput` (exit 2).
    public static func stream(_ capture: CaptureSource, onDiagnostic: ((Diagnostic) -> Void)? = nil,
                       onUnreachable: (ICMPUnreachable, Timestamp) -> Void = { _, _ in },
                       onFrame: ((CapturedFrame) -> Void)? = nil,
                       onMessage: (CapturedMessage) -> Void) throws -> LoadedCapture {
        let path = capture.path
        let reader: CaptureReader
        do {
            reader = try CaptureReader(path: path)
        } catch let e as CaptureError {
            throw UnusableInput(e.description)
        }
        var loaded = LoadedCapture(path: path, format: reader.format)
        loaded.tlsKeyLog = capture.keyLog
        let extractor = SIPMessageExtractor(ordered: true, tlsSecrets: capture.tlsSecrets, tlsRemedy: capture.tlsRemedy)
        let keep: (Diagnostic) -> Void = { d in
            if let onDiagnostic { onDiagnostic(d); return }
            if loaded.diagnostics.count < maxKeptDiagnostics { loaded.diagnostics.append(d) } else { loaded.droppedDiagnostics += 1 }
        }
        let handle: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m): onMessage(m)
            case .diagnostic(let d): keep(d)
            case .unreachable(let icmp, let time):
                onUnreachable(icmp, time)
            }
        }
        // Decryption Secrets Blocks exist only in pcapng: a pcap file skips the check on every frame.
        let mayEmbedSecrets = reader.format == "pcapng"
        // Decoding on a second thread, the caller's analysis on this one (PipelinedStream); a
        // caller that sees every frame keeps both on one.
        PipelinedStream.run(threaded: onFrame == nil && PipelinedStream.enabled, produce: { emit, endOfFrame in
            while let frame = reader.next() {
                if mayEmbedSecrets, let embedded = reader.takeSecrets() { extractor.addTLSSecrets(embedded) }
                onFrame?(frame)
                extractor.process(frame, emit: emit)
                endOfFrame()
                capture.progress?(reader.bytesRead)
            }
            capture.progress?(nil)
            extractor.finish(emit: emit)
        }, consume: handle)
        if let embedded = reader.takeSecrets() { extractor.addTLSSecrets(embedded) }
        loaded.tlsSecrets = extractor.tlsSecrets
        reader.problems.forEach(keep)
        loaded.statistics = extractor.statistics
        if extractor.onlyUnsupportedLinkTypes {
            let types = extractor.unsupportedLinkTypes.map(\.description).joined(separator: ", ")
            throw UnusableInput("\(path == "-" ? "stdin" : path): \(types) is not a link type ButtonScope can decode (it reads Ethernet with VLAN tags, Linux SLL/SLL2, raw IP and BSD loopback)")
        }
        return loaded
    }
}
