#if canImport(Glibc)
import Glibc
#endif
import Base
import Analysis
import ArgumentParser
import Capture
import SIP
import Pipeline
import Rendering

/// `buttonscope watch`: the pipeline over a live interface, printing as things happen.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Capture live and print every x-buttons document, its answer and every key change as it happens.",
        discussion: """
        Captures with libpcap (immediate mode, snap length 262144) and feeds each packet through the same decoding as for files: IP fragments rebuilt, TCP reassembled, documents read as the phone reads them and checked like `lint` does. Each document prints when it arrives, with the key changes it asks for; its answer prints on its own line when it comes, naming the document's frame; a document left unanswered for Timer F (32 s) or refused by an ICMP error says so. Frame numbers count from 1 at the start, as in the -w file.

        A port-only BPF filter (`udp port 5060`) drops IP fragments, and initial-state documents longer than 1500 bytes arrive fragmented: watch tests the filter against synthetic fragments and warns, suggesting one that keeps them, e.g. `(udp port 5060) or (ip[6:2] & 0x1fff != 0)`.

        Stops on Ctrl-C or SIGTERM (the -w file is flushed), after --count documents (waiting up to a second for their answers) or after --duration seconds. Capturing needs root or CAP_NET_RAW. Exit status 2 when the interface cannot be opened.

        Examples:
          sudo buttonscope watch -i eth0
          sudo buttonscope watch -i any --phone 44 --key 3 -w key3.pcap
          sudo buttonscope watch -i eth0 --bpf '(udp port 5060) or (ip[6:2] & 0x1fff != 0)' --json | jq 'select(.event == "key")'

        As a HEP collector (every PBX that mirrors to this box; HEP over TCP too; one agent; recording what arrived, readable by every command; both sources at once):
          buttonscope watch --hep udp:0.0.0.0:9060
          buttonscope watch --hep tcp:0.0.0.0:9060 --phone 44 --json
          buttonscope watch --hep udp:[::]:9060 --node 2001
          buttonscope watch --hep udp:0.0.0.0:9060 -w fleet.pcapng
          sudo buttonscope watch -i eth0 --hep udp:0.0.0.0:9060

        HEP collector (--hep, repeatable, udp: or tcp:, IPv4 or IPv6; no root needed): SIP servers and capture agents (Kamailio siptrace, FreeSWITCH capture-server, Asterisk res_hep, OpenSIPS, heplify, captagent) mirror each message as HEP2/HEP3 (compressed payloads too), decoded as HEP in a capture file is. Each message keeps its original source, destination and capture time, and the agent that sent it (node ID and address): events carry "node" and "agent", and lines name the PBX ([node N]) once there are several. Agents batch, so messages wait 200 ms and leave in the order of their original time (answers behind their requests); the same message mirrored by two agents is shown once and counted as a duplicate. The UDP receive buffer is asked for 64 MiB (SO_RCVBUFFORCE as root; the kernel doubles it), room for a second of a 50,000-packets/s fleet while the collector is busy (kernel memory, not the collector's); the stop line counts HEP packets, agents, duplicates, packets not read, drops by the kernel (SO_RXQ_OVFL) and by buttonscope. With --hep, -w writes pcapng: one interface per agent, each message as an Ethernet/IP/UDP (or TCP) packet with its original addresses and time, the HEP envelope in the packet comment; frame numbers are those watch printed. -w records one source: not with -i and --hep together.

        --json prints one object per event, each with an "event" field: document (frame frames time transport src dst user direction call_id keys findings), key (the fields of `timeline --json`, outcome unknown until the answer), answer (frame time document_frame status reason outcome latency_ms user call_id), retransmission (frame time document_frame), unanswered (document_frame time reason user), diagnostic (frame code severity message).
        """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The interface to capture on (e.g. eth0, any, lo); optional with --hep.", valueName: "interface"))
    var interface: String?

    @Option(help: ArgumentHelp("Collect HEP (EEP) mirrored by SIP servers and capture agents on udp:ADDR:PORT or tcp:ADDR:PORT (repeatable; IPv6 as udp:[::]:9060).", valueName: "udp|tcp:addr:port"))
    var hep: [String] = []

    @Option(help: ArgumentHelp("Only messages mirrored by this HEP capture agent (its node ID).", valueName: "id"))
    var node: UInt32?

    @Option(help: ArgumentHelp("A BPF capture filter, as for tcpdump.", valueName: "filter"))
    var bpf: String?

    /// Which documents print: --frames (numbered from 1 at the start, as printed), --phone, --key (and only its changes), --call-id, --from/--until (today, UTC).
    @OptionGroup(title: "Selection") var select: SelectionOptions

    @Option(name: .short, help: ArgumentHelp("Also write every captured packet to this pcap file (with --hep: every message, as pcapng, one interface per agent).", valueName: "file.pcap"))
    var write: String?

    @Flag(help: "Print NDJSON events (see above).")
    var json = false

    @Option(help: ArgumentHelp("Stop after this many documents.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "seconds"))
    var duration: Double?

    func run() throws {
        try runReporting {
            try select.check()
            if let count, count < 1 { throw UnusableInput("--count must be at least 1") }
            if let duration, !(duration > 0 && duration < 1e9) { throw UnusableInput("--duration must be a positive number of seconds") }
            if interface == nil && hep.isEmpty { throw UnusableInput("watch needs -i INTERFACE, --hep udp:ADDR:PORT, or both") }
            if interface != nil && !hep.isEmpty && write != nil { throw UnusableInput("-w records one source: use it with -i or with --hep, not both") }
        }
        var listeners: [HEPListenAddress] = []
        try runReporting {
            listeners = try hep.map { text -> HEPListenAddress in
                switch HEPListenAddress.parse(text) {
                case .success(let l): return l
                case .failure(let e): throw UnusableInput(OptionHint.text(e))
                }
            }
        }
        if interface == nil { try watchHEP(listeners) } else { try watch(hep: listeners) }
    }

    func watch(hep listeners: [HEPListenAddress]) throws {
        guard let interface else { return }
        // Blocked before anything could start a thread, so every thread inherits the mask and the
        // signals wait for the loop to collect them: the -w file is always flushed.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let live: LiveCapture
        do {
            live = try LiveCapture(interface: interface, filter: bpf)
            if let write { try live.dump(to: write) }
        } catch let e as LiveCaptureError {
            Output.error("buttonscope: \(TerminalText.safe(OptionHint.text(e)))")
            throw ExitStatus.unusableInput
        }
        if !live.linkType.isSupported {
            Output.error("buttonscope: \(interface): \(live.linkType) is not a link type ButtonScope can decode")
            throw ExitStatus.unusableInput
        }
        if let bpf, let verdict = FragmentFilterProbe(linkType: live.linkType).verdict(filter: bpf), verdict.dropsFragments {
            Output.error("buttonscope: warning: " + WatchRendering.fragmentWarning(filter: bpf, verdict))
        }
        var hepSource: WatchHEPSource?
        if !listeners.isEmpty {
            do { hepSource = try WatchHEPSource(listeners: listeners, write: nil) } catch {
                Output.error("buttonscope: \(TerminalText.safe(OptionHint.text(error)))")
                throw ExitStatus.unusableInput
            }
        }
        Output.error("buttonscope: listening on \(interface) (\(live.linkType))" + (bpf.map { ", filter \"\($0)\"" } ?? "")
                     + (hepSource.map { " and on \($0.listeningText) for HEP" } ?? "") + "; Ctrl-C to stop")

        var session = WatchSession(selection: select.selection(reference: .now()), node: node) { [json] in WatchRendering.lines($0, json: json).forEach(Output.line) }
        session.sharedNumbering = hepSource != nil
        let start = Timestamp.now()
        var stop = WatchStopRule(count: count, duration: duration, start: start)
        var stopReason = "stopped"
        while true {
            let alive = live.poll(timeoutMs: hepSource == nil ? 100 : 0) { frame in session.process(frame) }
            try hepSource?.poll(timeoutMs: 50, session: &session)
            let now = Timestamp.now()
            session.tick(now: now)
            Output.flush()
            if !alive { stopReason = "the capture on \(interface) ended"; break }
            if let reason = stop.reason(now: now, session: session, signals: &stopSignals) { stopReason = reason; break }
        }
        try hepSource?.finish(session: &session)
        session.finish()
        live.closeDump()
        Output.flush()
        Output.error("buttonscope: \(stopReason): \(session.frames) packets, \(session.documents) document\(session.documents == 1 ? "" : "s")"
                     + session.unfollowedText
                     + (live.droppedByKernel > 0 ? ", \(live.droppedByKernel) dropped by the kernel" : "")
                     + (write.map { "; packets written to \($0)" } ?? "")
                     + (hepSource.map { "; HEP: \($0.summary)" } ?? ""))
    }
}

