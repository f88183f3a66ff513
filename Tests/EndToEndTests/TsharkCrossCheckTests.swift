import Foundation
import Testing
import TestSupport

/// `buttonscope messages --json` held against tshark, the oracle for what a capture holds:
/// the same SIP messages at the same frames with the same method/status and Call-ID.
/// Where the manifest records that tshark misses messages we find, the test says so for that
/// file and checks that tshark's messages are a subset of ours.
@Suite struct TsharkCrossCheckTests {
    struct Seen: Hashable, CustomStringConvertible {
        var frame: Int
        var what: String
        var callID: String
        var description: String { "frame \(frame) \(what) \(callID)" }
    }

    static var captureFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.captures.path)) ?? []
        // Captures kept in a subfolder beside their keys are named by their manifest (`tls-keys/…`).
        let nested = ((try? Manifest.entries()) ?? [:]).keys.filter { $0.contains("/") }
        return (names + nested).filter { ($0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng")) && $0 != "not-a-capture.pcap" }.sorted()
    }

    /// tshark's view: one entry per SIP message (several per frame are comma-joined by tshark).
    /// tshark also dissects the SIP quoted inside ICMP errors: those are not messages.
    /// `options`: extra tshark arguments a capture's manifest names in `tshark_options` (keys for
    /// TLS, `-d` to decode a port as WebSocket or HEP), paths relative to `captures/`.
    static func tsharkMessages(_ tshark: String, _ file: String, options: [String] = []) throws -> [Seen] {
        let r = try CommandRunner.run(tshark, ["-r", file, "-o", "tcp.reassemble_out_of_order:TRUE"] + options + ["-Y", "sip && !icmp && !icmpv6",
                                               "-T", "fields", "-e", "frame.number", "-e", "sip.Method",
                                               "-e", "sip.Status-Code", "-e", "sip.Call-ID", "-E", "separator=/t"])
        var out: [Seen] = []
        for line in r.lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 4, let frame = Int(f[0]) else { continue }
            let methods = f[1].split(separator: ",").map(String.init)
            let statuses = f[2].split(separator: ",").map(String.init)
            let callIDs = f[3].split(separator: ",").map(String.init)
            // tshark lists requests' and responses' fields separately: pair them in order.
            var whats = methods + statuses
            if whats.isEmpty { continue } // a "Continuation" frame holds no message
            if methods.count + statuses.count != max(callIDs.count, 1) && !callIDs.isEmpty { whats = Array(whats.prefix(callIDs.count)) }
            for (i, what) in whats.enumerated() {
                out.append(Seen(frame: frame, what: what, callID: i < callIDs.count ? callIDs[i] : ""))
            }
        }
        return out
    }

    /// `options`: the manifest's `buttonscope_options` (for example `--tls-keylog FILE`).
    static func ourMessages(_ file: String, options: [String] = []) throws -> [Seen] {
        let r = try CommandRunner.buttonscope(["messages", "--json"] + options + [file])
        return try CommandRunner.ndjson(r.stdout).compactMap { o in
            guard let frame = o["frame"] as? Int else { return nil }
            let what = (o["method"] as? String) ?? (o["status"] as? Int).map(String.init) ?? "?"
            return Seen(frame: frame, what: what, callID: o["call_id"] as? String ?? "")
        }
    }

    @Test("every bundled capture agrees with tshark", arguments: captureFiles)
    func agreesWithTshark(_ name: String) throws {
        guard let tshark = CommandRunner.tool("tshark") else { return }
        let file = Paths.capture(name)
        let facts = try Manifest.entries()[name]
        let resolve: (String) -> String = { $0.replacingOccurrences(of: "{captures}", with: Paths.captures.path) }
        let theirs = try Self.tsharkMessages(tshark, file, options: (facts?["tshark_options"] as? [String] ?? []).map(resolve))
        let ours = try Self.ourMessages(file, options: (facts?["buttonscope_options"] as? [String] ?? []).map(resolve))
        // tshark drops header fields of snap-length-cut messages: compare those by frame and method only.
        let key: (Seen) -> String = { "\($0.frame) \($0.what)" }
        let theirKeys = theirs.map(key).sorted(), ourKeys = ours.map(key).sorted()
        if let expected = facts?["sip_messages"] as? Int {
            #expect(ours.count == expected, "\(name): the manifest says \(expected) SIP messages, we found \(ours.count)")
        }
        if let tsharkCount = facts?["tshark_sip_messages"] as? Int, let expected = facts?["sip_messages"] as? Int,
           tsharkCount != expected {
            // Known and explained disagreement (facts["tshark_note"]): tshark misses some; what it finds we find too.
            #expect(theirs.count == tsharkCount, "\(name): tshark found \(theirs.count), the manifest recorded \(tsharkCount)")
            if tsharkCount > 0 {
                #expect(Set(theirKeys).isSubset(of: Set(ourKeys)), "\(name): tshark sees \(Set(theirKeys).subtracting(ourKeys)) that we miss")
            }
            return
        }
        #expect(ourKeys == theirKeys, "\(name): tshark \(theirKeys) vs ours \(ourKeys)")
        // Call-IDs by frame: tshark lists a frame's methods before its statuses, so where one frame
        // holds a response and then a request their pairing with Call-IDs is lost (the methods and
        // statuses per frame are compared just above).
        let idKey: (Seen) -> String = { "\($0.frame) \($0.callID)" }
        let theirIDs = Dictionary(theirs.filter { !$0.callID.isEmpty }.map { (idKey($0), 1) }, uniquingKeysWith: +)
        let ourIDs = Dictionary(ours.map { (idKey($0), 1) }, uniquingKeysWith: +)
        for (k, n) in theirIDs {
            #expect(ourIDs[k] == n, "\(name): tshark has \(k) (×\(n)), we have it ×\(ourIDs[k] ?? 0)")
        }
    }

    @Test("the cross-check covers every capture file")
    func coversCaptures() {
        #expect(Self.captureFiles.count >= 20, "captures/ should hold the bundled captures; found \(Self.captureFiles.count)")
    }
}
