import ArgumentParser
import Capture
import Diagnostics
import SIP

/// Everything the pipeline got out of one capture: the SIP messages in frame order, the
/// ICMP errors, and every problem found on the way.
struct LoadedCapture {
    var path: String
    var format: String
    var messages: [CapturedMessage] = []
    var unreachables: [(icmp: ICMPUnreachable, time: Timestamp)] = []
    /// Capture-level problems (file damage, fragments, stream gaps), in the order found.
    var diagnostics: [Diagnostic] = []
    var statistics = ExtractionStatistics()

    /// Reads the whole capture. Throws `UnusableInput` (exit 2) when it cannot be read at all.
    /// `onFrame` sees every frame as it is read (export notes link types and timestamp precision).
    static func load(_ path: String, onMessage: ((CapturedMessage) -> Void)? = nil,
                     onFrame: ((CapturedFrame) -> Void)? = nil) throws -> LoadedCapture {
        let reader: CaptureReader
        do {
            reader = try CaptureReader(path: path)
        } catch let e as CaptureError {
            throw UnusableInput(e.description)
        }
        var loaded = LoadedCapture(path: path, format: reader.format)
        let extractor = SIPMessageExtractor()
        let handle: (SIPMessageExtractor.Output) -> Void = { out in
            switch out {
            case .message(let m):
                if let onMessage { onMessage(m) } else { loaded.messages.append(m) }
            case .diagnostic(let d): loaded.diagnostics.append(d)
            case .unreachable(let icmp, let time): loaded.unreachables.append((icmp, time))
            }
        }
        var progress = ProgressBar(path: path)
        while let frame = reader.next() {
            onFrame?(frame)
            extractor.process(frame, emit: handle)
            progress?.update(bytesRead: reader.bytesRead)
        }
        progress?.finish()
        extractor.finish(emit: handle)
        loaded.diagnostics += reader.problems
        loaded.statistics = extractor.statistics
        if extractor.onlyUnsupportedLinkTypes {
            let types = extractor.unsupportedLinkTypes.map(\.description).joined(separator: ", ")
            throw UnusableInput("\(path == "-" ? "stdin" : path): \(types) is not a link type ButtonScope can decode (it reads Ethernet with VLAN tags, Linux SLL/SLL2, raw IP and BSD loopback)")
        }
        // Stream framing can finish a message after a later UDP one: keep frame order.
        loaded.messages.sort { $0.frame < $1.frame }
        return loaded
    }
}

/// The capture-file argument every analysis command takes.
struct CaptureArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A pcap or pcapng file, or - to read from stdin (e.g. tcpdump -w - | buttonscope …).",
                                 valueName: "capture"))
    var path: String
}

/// Runs a command body, turning `UnusableInput` into one stderr line and exit status 2.
func runReporting(_ body: () throws -> Void) throws {
    do {
        try body()
        Output.flush()
    } catch let e as UnusableInput {
        Output.error("buttonscope: \(e.description)")
        throw ExitStatus.unusableInput
    }
}
