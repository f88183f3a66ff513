import Analysis
import ArgumentParser
import Capture
import Pipeline
import Rendering

/// `buttonscope export`: the packets behind a selection, in a capture of their own.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the packets behind a selection (frames, a phone's key, a Call-ID, a time range) to a new capture.",
        discussion: """
        Keeps every packet each selected message was made of (all IP fragments, all TCP segments), and for a selected request its whole exchange: retransmissions, answers, and any ICMP error about it. Records are copied byte for byte with their timestamps, in their original order. The result is classic pcap when every kept packet has the same link type, pcapng otherwise (several interfaces); Wireshark, tshark and ButtonScope read both.

        Selections combine (all must hold): --frames takes the messages that any of those frames carried (and the frames themselves, when it is the only selection); --phone the requests concerning that phone (its SIP user); --key the x-buttons documents describing that key; --call-id the messages with that Call-ID; --from/--until a time range (HH:MM:SS[.fff] UTC on the capture's first day, or epoch seconds).

        Examples:
          buttonscope export field.pcap --phone 44 --key 3 -o key3.pcap
          buttonscope export field.pcap --frames 120-180 -o around-the-fault.pcap
          buttonscope export field.pcap --call-id 6algjorv@test --from 10:42:00 --until 10:43:00 -o one.pcap
        """
    )

    @OptionGroup var capture: CaptureArgument

    @OptionGroup(title: "Selection") var select: SelectionOptions

    @Option(name: .short, help: ArgumentHelp("The capture to write.", valueName: "out.pcap"))
    var output: String

    /// Argument problems exit 2 with one line, like unreadable input (DESIGN.md's contract).
    func checkArguments() throws {
        try select.check()
        if select.isEmpty {
            throw UnusableInput("nothing selected: give --frames, --phone, --key, --call-id, --from or --until")
        }
        if output == capture.path { throw UnusableInput("-o \(output): would overwrite the capture being read") }
    }

    func run() throws {
        try runReporting {
            try checkArguments()
            // Pass 1: decode, select, and note each frame's link type and timestamp precision.
            var links = LinkTypeRuns()
            var tls = ExportTLSConnections()
            var selection = select.selection(reference: nil)
            var pass: ExportFrames?
            let tracked = try TrackedCapture.stream(capture.source(), onFrame: { frame in
                links.note(frame)
                tls.note(frame)
                if pass == nil {
                    // Times are read against the capture's first day: known once the first frame is.
                    selection = select.selection(reference: frame.timestamp)
                    pass = ExportFrames(selection)
                }
            }, onMessage: { pass?.add(message: $0) }) { pass?.add(exchange: $0) }
            let loaded = tracked.loaded
            let wanted = pass?.frames ?? []
            let messages = pass?.messages ?? 0
            let rawFrames = selection.filtersMessages ? nil : selection.frames
            let keep: (Int) -> Bool = { wanted.contains($0) || rawFrames?.contains($0) == true }
            guard let firstKept = (1...max(1, loaded.statistics.frames)).first(where: keep), loaded.statistics.frames > 0 else {
                throw UnusableInput("\(capture.path): the selection matches no packet (\(messages) messages)")
            }

            // TLS connections with keys: which the selection touches (pass 1b), their key log lines.
            tls.keepUnlockable(loaded.tlsSecrets)
            var keyLog = ""
            if !tls.isEmpty {
                do {
                    let reader = try CaptureReader(path: capture.path)
                    while let frame = reader.next() { if keep(frame.number) { tls.noteKept(frame) } }
                } catch let e as CaptureError {
                    throw UnusableInput(e.description)
                }
                keyLog = loaded.tlsSecrets.keyLog(clientRandoms: tls.keptClientRandoms)
            }

            // Pass 2: copy the kept records.
            let linkTypes = links.linkTypes(of: keep, upTo: loaded.statistics.frames)
            let format: CaptureWriter.Format = linkTypes.count == 1 && keyLog.isEmpty
                ? .pcap(links.linkType(of: firstKept), nanosecond: !links.allMicroseconds) : .pcapng
            let reader: CaptureReader
            let writer: CaptureWriter
            var widened = 0
            do {
                reader = try CaptureReader(path: capture.path)
                writer = try CaptureWriter(path: output, format: format, tlsKeyLog: keyLog)
                while let frame = reader.next() {
                    if keep(frame.number) {
                        try writer.write(frame)
                    } else if !keyLog.isEmpty && tls.widens(frame) {
                        widened += 1
                        try writer.write(frame)
                    }
                }
                try writer.flush()
            } catch let e as CaptureError {
                throw UnusableInput(e.description)
            }
            let kind: String
            if case .pcap = format { kind = "pcap" } else { kind = "pcapng (\(linkTypes.count) link type\(linkTypes.count == 1 ? "" : "s"))" }
            if !keyLog.isEmpty {
                let n = tls.keptClientRandoms.count
                Output.error("buttonscope: TLS: the keys of \(n) connection\(n == 1 ? "" : "s") embedded (a Decryption Secrets Block: Wireshark and ButtonScope read them with no option)"
                             + (widened > 0 ? "; \(widened) earlier frame\(widened == 1 ? "" : "s") of \(n == 1 ? "that connection" : "those connections") added (handshake and earlier records), without which \(n == 1 ? "it" : "they") cannot be decrypted" : ""))
            }
            Output.error("buttonscope: wrote \(writer.framesWritten) packet\(writer.framesWritten == 1 ? "" : "s") (\(messages) selected message\(messages == 1 ? "" : "s") with their exchanges) to \(output) as \(kind)")
        }
    }
}

/// Each frame's link type from pass 1, run-length encoded: a file has few interfaces, so this
/// stays small however long the capture is.
struct LinkTypeRuns {
    private var runs: [(start: Int, linkType: LinkType)] = []
    private(set) var allMicroseconds = true

    mutating func note(_ frame: CapturedFrame) {
        if frame.timestamp.nanoseconds % 1000 != 0 { allMicroseconds = false }
        if runs.last?.linkType != frame.linkType { runs.append((frame.number, frame.linkType)) }
    }

    func linkType(of frame: Int) -> LinkType {
        var low = 0, high = runs.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if runs[mid].start <= frame { low = mid } else { high = mid - 1 }
        }
        return runs.isEmpty ? .ethernet : runs[low].linkType
    }

    /// The link types of the frames `keep` selects.
    func linkTypes(of keep: (Int) -> Bool, upTo last: Int) -> Set<UInt32> {
        var found = Set<UInt32>()
        for (i, run) in runs.enumerated() {
            let end = i + 1 < runs.count ? runs[i + 1].start - 1 : last
            if run.start <= end, (run.start...end).contains(where: keep) { found.insert(run.linkType.rawValue) }
        }
        return found
    }
}
