import Foundation
import Testing
import TestSupport

/// `watch --hep`: a collector on loopback (127.0.23.0/24), fed by real sockets. HEP packets are
/// built here (agents with their own node IDs and clocks), then Kamailio's siptrace as the real sender.
@Suite(.serialized) struct WatchHEPTests {
    typealias Watcher = WatchLoopbackTests.Watcher

    /// HEP3 from `node`: the original endpoints 10.9.0.1:5060 → 10.9.0.2:5062, or reversed for an answer.
    static func hep3(_ sip: String, node: Int, micros: Int, answer: Bool = false, seconds: Int = 1_800_000_000) -> [UInt8] {
        let pbx: [UInt8] = [10, 9, 0, 1], phone: [UInt8] = [10, 9, 0, 2]
        return HEPPacket.v3(Array(sip.utf8), source: answer ? phone : pbx, sourcePort: answer ? 5062 : 5060,
                            destination: answer ? pbx : phone, destinationPort: answer ? 5060 : 5062,
                            seconds: UInt32(seconds), micros: UInt32(micros), node: UInt32(node), correlation: "corr-\(node)")
    }

    static func message(_ callID: String, light: String) -> String {
        let body = "k=3\r\nc=\(light)\r\nl=Sales\r\n"
        return "MESSAGE sip:44@10.9.0.2:5062 SIP/2.0\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:pbx@10.9.0.1>;tag=p1\r\nTo: <sip:44@10.9.0.2>\r\nCall-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\n"
            + "Content-Type: application/x-buttons\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
    }

    static func ok(_ callID: String) -> String {
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.9.0.1:5060;branch=z9hG4bK-\(callID)\r\nFrom: <sip:pbx@10.9.0.1>;tag=p1\r\n"
            + "To: <sip:44@10.9.0.2>;tag=ph\r\nCall-ID: \(callID)\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n"
    }

    /// A capture agent: a UDP socket bound to its own loopback address.
    final class Agent {
        let fd: Int32
        let v6: Bool
        init(_ address: String) throws {
            v6 = address.contains(":")
            fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            guard fd >= 0, Self.withAddress(address, 0, { bind(fd, $0, $1) }) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        }
        deinit { close(fd) }

        func send(_ bytes: [UInt8], to address: String, port: UInt16) {
            _ = Self.withAddress(address, port) { a, l in bytes.withUnsafeBytes { Int32(sendto(fd, $0.baseAddress, bytes.count, 0, a, l)) } }
        }

        static func withAddress(_ address: String, _ port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
            if address.contains(":") {
                var a = sockaddr_in6()
                a.sin6_family = sa_family_t(AF_INET6)
                a.sin6_port = port.bigEndian
                inet_pton(AF_INET6, address, &a.sin6_addr)
                return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
            }
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &a.sin_addr)
            return withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
    }

    static func start(_ args: [String]) throws -> Watcher? {
        let w = try Watcher(args)
        guard w.waitListening() else {
            _ = w.finish()
            Issue.record("watch --hep did not start listening: \(w.stderr)")
            return nil
        }
        return w
    }

    static func temp(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("watch-hep-\(UUID().uuidString).\(ext)").path
    }

    /// Two agents mirror the same MESSAGE; the answer arrives before its request; an agent sends
    /// garbage, a chunk longer than its packet and a length past the datagram; then a good packet.
    @Test func fleetOfTwoAgentsDeduplicatedReorderedAndHostile() throws {
        let file = Self.temp("pcapng")
        guard let watcher = try Self.start(["--hep", "udp:127.0.23.1:23060", "--json", "-w", file, "--duration", "30"]) else { return }
        let a = try Agent("127.0.23.11"), b = try Agent("127.0.23.12")
        let send = { (agent: Agent, bytes: [UInt8]) in agent.send(bytes, to: "127.0.23.1", port: 23060) }
        send(a, Array("not HEP at all, just noise".utf8))
        var past = Self.hep3(Self.message("never-1", light: "on"), node: 11, micros: 1)
        past.replaceSubrange(4..<6, with: be16(UInt16(past.count + 100)))
        send(a, past)
        var chunkPast = Self.hep3(Self.message("never-2", light: "on"), node: 11, micros: 2)
        let sipLength = Self.message("never-2", light: "on").utf8.count
        chunkPast.replaceSubrange((chunkPast.count - sipLength - 2)..<(chunkPast.count - sipLength), with: be16(60_000))
        send(a, chunkPast)
        // The answer (mirrored by b) comes first; the MESSAGE, from both agents, after it.
        send(b, Self.hep3(Self.ok("fleet-1"), node: 12, micros: 900_000, answer: true))
        send(a, Self.hep3(Self.message("fleet-1", light: "on"), node: 11, micros: 100_000))
        send(b, Self.hep3(Self.message("fleet-1", light: "on"), node: 12, micros: 100_050))
        Thread.sleep(forTimeInterval: 0.6)
        send(a, Self.hep3(Self.message("fleet-2", light: "off"), node: 11, micros: 0, seconds: 1_800_000_002))
        Thread.sleep(forTimeInterval: 0.6)
        watcher.process.interrupt()
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        let events = try CommandRunner.ndjson(watcher.stdout)
        let documents = events.filter { $0["event"] as? String == "document" }
        let answers = events.filter { $0["event"] as? String == "answer" }
        let keys = events.filter { $0["event"] as? String == "key" }
        let codes = events.filter { $0["event"] as? String == "diagnostic" }.compactMap { $0["code"] as? String }
        #expect(documents.compactMap { $0["call_id"] as? String } == ["fleet-1", "fleet-2"])
        #expect(documents.compactMap { $0["node"] as? Int } == [11, 11])
        #expect((documents.first?["agent"] as? String)?.hasPrefix("127.0.23.11:") == true)
        #expect(documents.first?["src"] as? String == "10.9.0.1:5060" && documents.first?["dst"] as? String == "10.9.0.2:5062")
        #expect(answers.count == 1 && answers.first?["document_frame"] as? Int == 1 && answers.first?["node"] as? Int == 12)
        #expect(answers.first?["outcome"] as? String == "accepted")
        #expect(keys.compactMap { ($0["state"] as? [String: Any])?["light"] as? String } == ["on", "off"])
        #expect(codes.contains("hep-not-hep") && codes.contains("hep-length-past-packet") && codes.contains("hep-chunk-length"), "\(codes)")
        #expect(watcher.stderr.contains("1 duplicate dropped"), "\(watcher.stderr)")
        #expect(watcher.stderr.contains("0 dropped by the kernel") && watcher.stderr.contains("0 dropped by buttonscope"))
        #expect(watcher.stderr.contains("3 messages written to \(file)"), "\(watcher.stderr)")

        // The -w file reads back: every message where and when it was, the agent in its comment.
        let messages = try CommandRunner.ndjson(try CommandRunner.buttonscope(["messages", file, "--json"]).stdout)
        #expect(messages.compactMap { $0["call_id"] as? String } == ["fleet-1", "fleet-1", "fleet-2"])
        let summary = try CommandRunner.buttonscope(["timeline", file])
        #expect(summary.stdout.contains("accepted") || summary.stdout.contains("✓"), "\(summary.stdout)")
        guard let tshark = CommandRunner.tool("tshark") else { return }
        let t = try CommandRunner.run(tshark, ["-r", file, "-T", "fields", "-E", "separator=|", "-e", "frame.interface_name",
                                              "-e", "ip.src", "-e", "udp.srcport", "-e", "frame.comment", "-e", "sip.Call-ID"])
        let rows = t.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 3, "\(t.stdout) \(t.stderr)")
        #expect(rows.first?.first?.hasPrefix("hep node 11 agent 127.0.23.11:") == true)
        #expect(rows.first.map { Array($0.dropFirst().prefix(2)) } == ["10.9.0.1", "5060"])
        #expect(rows.first?[3].hasPrefix("HEP3 node 11 agent 127.0.23.11:") == true && rows.first?[3].hasSuffix("correlation corr-11") == true)
        #expect(rows.map { $0.last ?? "" } == ["fleet-1", "fleet-1", "fleet-2"])
        #expect(rows[1][0].hasPrefix("hep node 12 agent 127.0.23.12:"))
    }

    /// HEP over TCP, a packet split across writes and two in one; IPv6 UDP beside it; --node.
    @Test func tcpSplitIPv6AndNodeFilter() throws {
        guard let watcher = try Self.start(["--hep", "tcp:127.0.23.1:23061", "--hep", "udp:[::1]:23062", "--json", "--node", "21", "--duration", "30"]) else { return }
        let one = Self.hep3(Self.message("tcp-1", light: "on"), node: 21, micros: 1)
        let two = Self.hep3(Self.message("tcp-2", light: "off"), node: 21, micros: 2, seconds: 1_800_000_001)
        let other = Self.hep3(Self.message("other-node", light: "on"), node: 22, micros: 3, seconds: 1_800_000_001)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        #expect(Agent.withAddress("127.0.23.1", 23061) { connect(fd, $0, $1) } == 0)
        let stream = one + two + other
        for (i, piece) in [stream[0..<3], stream[3..<40], stream[40..<(one.count + 5)], stream[(one.count + 5)...]].enumerated() {
            _ = Array(piece).withUnsafeBytes { write(fd, $0.baseAddress, piece.count) }
            if i < 3 { Thread.sleep(forTimeInterval: 0.1) }
        }
        let v6 = try Agent("::1")
        v6.send(Self.hep3(Self.message("v6-1", light: "on"), node: 21, micros: 0, seconds: 1_800_000_003), to: "::1", port: 23062)
        Thread.sleep(forTimeInterval: 0.8)
        watcher.process.interrupt()
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        let events = try CommandRunner.ndjson(watcher.stdout)
        let documents = events.filter { $0["event"] as? String == "document" }
        #expect(documents.compactMap { $0["call_id"] as? String } == ["tcp-1", "tcp-2", "v6-1"], "\(watcher.stdout) \(watcher.stderr)")
        #expect(documents.allSatisfy { $0["node"] as? Int == 21 })
        #expect(watcher.stderr.contains("4 HEP packets from 3 agents"), "\(watcher.stderr)")
    }

    /// The selection options every live command shares: a Call-ID, a time window (epoch seconds),
    /// frames as watch numbers them.
    @Test(arguments: [(["--call-id", "sel-3"], ["sel-3"]), (["--from", "1800000005", "--until", "1800000015"], ["sel-2"]),
                      (["--frames", "1-2"], ["sel-1", "sel-2"])])
    func theSelectionNarrowsWhatPrints(_ options: [String], _ expected: [String]) throws {
        guard let watcher = try Self.start(["--hep", "udp:127.0.23.1:23068", "--json", "--duration", "30"] + options) else { return }
        let agent = try Agent("127.0.23.15")
        for (i, id) in ["sel-1", "sel-2", "sel-3"].enumerated() {
            agent.send(Self.hep3(Self.message(id, light: "on"), node: 41, micros: 0, seconds: 1_800_000_000 + 10 * i), to: "127.0.23.1", port: 23068)
        }
        Thread.sleep(forTimeInterval: 0.6)
        watcher.process.interrupt()
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        let documents = try CommandRunner.ndjson(watcher.stdout).filter { $0["event"] as? String == "document" }
        #expect(documents.compactMap { $0["call_id"] as? String } == expected, "\(watcher.stdout) \(watcher.stderr)")
    }

    /// Several PBXs: the terminal lines name theirs.
    @Test func textLinesNameThePBXOnceThereAreSeveral() throws {
        guard let watcher = try Self.start(["--hep", "udp:127.0.23.1:23065", "--duration", "30"]) else { return }
        let a = try Agent("127.0.23.13"), b = try Agent("127.0.23.14")
        a.send(Self.hep3(Self.message("pbx-a", light: "on"), node: 31, micros: 0), to: "127.0.23.1", port: 23065)
        b.send(Self.hep3(Self.message("pbx-b", light: "off"), node: 32, micros: 5), to: "127.0.23.1", port: 23065)
        Thread.sleep(forTimeInterval: 0.6)
        watcher.process.interrupt()
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        let lines = watcher.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("[node 32] document to-phone phone 44") && $0.contains("Call-ID pbx-b") }, "\(watcher.stdout)")
        #expect(lines.contains { $0.contains("[node 32] key 3  light=off") }, "\(watcher.stdout)")
    }

    /// An interface and HEP at once: one numbering, both documents shown.
    @Test func interfaceAndHEPTogether() throws {
        guard WatchLoopbackTests.canCapture() else { return }
        guard let watcher = try Self.start(["-i", "lo", "--bpf", "udp and dst port 23066", "--hep", "udp:127.0.23.1:23067", "--json", "--duration", "30"]) else { return }
        let sink = try Agent("127.0.23.1")
        let phone = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(phone) }
        _ = Agent.withAddress("127.0.23.1", 23066) { bind(phone, $0, $1) }
        sink.send(Array(Self.message("plain-1", light: "on").utf8), to: "127.0.23.1", port: 23066)
        Thread.sleep(forTimeInterval: 0.3)
        sink.send(Self.hep3(Self.message("hep-1", light: "off"), node: 41, micros: 0), to: "127.0.23.1", port: 23067)
        Thread.sleep(forTimeInterval: 0.8)
        watcher.process.interrupt()
        #expect(watcher.finish() == 0, "\(watcher.stderr)")
        let documents = try CommandRunner.ndjson(watcher.stdout).filter { $0["event"] as? String == "document" }
        #expect(documents.compactMap { $0["call_id"] as? String } == ["plain-1", "hep-1"], "\(watcher.stdout) \(watcher.stderr)")
        #expect(documents.compactMap { $0["frame"] as? Int } == [1, 2])
        #expect(documents.first?["node"] == nil && documents.last?["node"] as? Int == 41)
        #expect(watcher.stderr.contains("for HEP") && watcher.stderr.contains("HEP: 1 HEP packet from 1 agent"), "\(watcher.stderr)")
    }

    @Test func badListenAddressesAreRefused() throws {
        let r = try CommandRunner.buttonscope(["watch", "--hep", "udp:nowhere:9060"])
        #expect(r.status == 2 && r.stderr.contains("--hep udp:nowhere:9060"), "\(r.stderr)")
        let none = try CommandRunner.buttonscope(["watch"])
        #expect(none.status == 2 && none.stderr.contains("-i INTERFACE, --hep"), "\(none.stderr)")
        let bound = try CommandRunner.buttonscope(["watch", "--hep", "udp:192.0.2.1:9060", "--duration", "1"])
        #expect(bound.status == 2 && bound.stderr.contains("cannot bind"), "\(bound.stderr)")
        // A port another collector holds is refused, not shared (UDP would split the datagrams).
        let taken = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(taken) }
        #expect(Agent.withAddress("127.0.23.1", 23068) { bind(taken, $0, $1) } == 0)
        let busy = try CommandRunner.buttonscope(["watch", "--hep", "udp:127.0.23.1:23068", "--duration", "1"])
        #expect(busy.status == 2 && busy.stderr.contains("cannot bind: Address already in use"), "\(busy.stderr)")
    }
}
