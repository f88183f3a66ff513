import SIPCapture
import ArgumentParser
import Capture
import Base
import SIP
import Pipeline
import Rendering

/// `buttonscope messages`: every SIP message in the capture, reassembled as the receiver saw it.
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List every SIP message in a capture, reassembled the way the receiver saw it.",
        discussion: """
        SIP is recognised by content on any port, also inside WebSocket (after an HTTP Upgrade), SCTP and HEP (a HEP message is shown between its original endpoints at its original time, with the agent's node and correlation ID). UDP datagrams (IP fragments rebuilt) are one message each; TCP streams are reassembled by sequence number and cut by Content-Length. A message that needed several packets is listed at the frame that completed it, with all its frames. Times are UTC.

        A message that came through tunnels (VXLAN, Geneve, GRE, ERSPAN, IP-in-IP, GTP-U, MPLS, PPPoE) shows its inner addresses and, after the row, "via" the tunnels outermost first (`tunnel` in --json).

        Flags: R retransmission, T cut by the capture's snap length, +N reassembled from N+1 frames, ! a diagnostic (shown below the table, and as codes in --json). Problems with the capture itself (a file cut short, a TCP hole) are listed after the table, and so are the frames that were not read, by what they were (RTP, DNS, ARP, TLS without keys…); with --json both go to stderr.

        Exit status: 0 when the capture was read, 2 when it could not be (not a capture, missing file, unsupported link type).

        Examples:
          buttonscope messages field.pcapng
          buttonscope messages field.pcap --json | jq 'select(.method == "MESSAGE")'
          tcpdump -i any -w - port 5060 | buttonscope messages -
        """
    )

    @OptionGroup var capture: CaptureArgument

    @Flag(help: "Print NDJSON: one object per message (fields: frame frames time transport src dst method status call_id cseq_number cseq_method content_type content_length body_length diagnostics; tunnel for a message that came through one; messages mirrored by HEP add hep_version hep_node hep_node_name hep_correlation_id hep_compressed).")
    var json = false

    @Option(help: "Only messages with this method (MESSAGE, REGISTER…) or their responses.")
    var method: String?

    func run() throws {
        try runReporting {
            var detector = RetransmissionDetector()
            // Rows are printed as messages come (streaming); only the notes under the table are
            // kept, and only so many of them.
            var notes: [Diagnostic] = []
            var droppedNotes = 0
            var count = 0
            let wanted = method?.uppercased()
            // The header waits for the first row: an unusable file must print nothing on stdout.
            var headerPrinted = json
            let loaded = try LoadedCapture.stream(capture.source()) { m in
                let retransmitted = detector.isRetransmission(m)
                if let wanted, m.message.cseq?.method.uppercased() != wanted { return }
                count += 1
                if json {
                    Output.line(MessagesTable.json(m, retransmitted: retransmitted))
                } else {
                    if !headerPrinted { Output.line(MessagesTable.header); headerPrinted = true }
                    Output.line(MessagesTable.row(m, retransmitted: retransmitted))
                    for d in m.diagnostics {
                        if notes.count < LoadedCapture.maxKeptDiagnostics { notes.append(d) } else { droppedNotes += 1 }
                    }
                }
            }
            if json {
                // stdout stays one message a line; problems with the capture itself go to stderr.
                for d in loaded.diagnostics {
                    Output.error("buttonscope: \(d.severity.rawValue) \(d.code): \(TerminalText.safe(d.message))")
                }
                if loaded.droppedDiagnostics > 0 {
                    Output.error("buttonscope: \(loaded.droppedDiagnostics) more capture problems not shown")
                }
                if let notRead = NotReadText.line(loaded.statistics) { Output.error("buttonscope: " + notRead) }
                return
            }
            if !headerPrinted { Output.line(MessagesTable.header) }
            let s = loaded.statistics
            Output.line("")
            Output.line("\(count) SIP message\(count == 1 ? "" : "s") in \(s.frames) frames (\(loaded.format))"
                        + (s.nonSIPDatagrams + s.nonSIPStreams > 0 ? "; skipped \(s.nonSIPDatagrams) non-SIP datagrams and \(s.nonSIPStreams) non-SIP TCP streams" : "")
                        + (s.keepalives > 0 ? "; \(s.keepalives) keepalives" : ""))
            if let notRead = NotReadText.line(s) { Output.line(notRead) }
            let all = (notes + loaded.diagnostics).sorted { ($0.frame ?? 0) < ($1.frame ?? 0) }
            if !all.isEmpty {
                Output.line("")
                for d in all {
                    Output.line("\(d.severity.rawValue.uppercased()) \(d.code): \(TerminalText.safe(d.message))")
                }
            }
            if droppedNotes + loaded.droppedDiagnostics > 0 {
                Output.line("… and \(droppedNotes + loaded.droppedDiagnostics) more problems not shown")
            }
        }
    }
}
