import Foundation
import Testing
import TestSupport

/// The carriers captures (`captures/expected-carriers.json`): WebSocket, SCTP and HEP, read from
/// capture files made by Kamailio, SIPp, the `websockets` client and scapy. Their SIP messages are
/// held against tshark by `TsharkCrossCheckTests`; here: transports, HEP envelopes, key states.
@Suite struct CarrierCaptureTests {
    static func entries() -> [(String, [String: Any])] {
        let url = Paths.captures.appendingPathComponent("expected-carriers.json")
        guard let data = try? Data(contentsOf: url),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [] }
        return obj.sorted { $0.key < $1.key }
    }
    static var names: [String] { entries().map(\.0) }

    @Test func theManifestListsEveryFamily() {
        let names = Self.names
        #expect(names.contains { $0.hasPrefix("hep3-") } && names.contains { $0.hasPrefix("hep2-") })
        #expect(names.contains { $0.hasPrefix("ws-") } && names.contains { $0.hasPrefix("sctp-") })
    }

    @Test("messages: count, transport and HEP envelope", arguments: names)
    func messagesCarryTheirCarrier(_ name: String) throws {
        let facts = try #require(Self.entries().first { $0.0 == name }?.1)
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
        #expect(r.status == 0, "\(name): \(r.stderr)")
        let rows = try CommandRunner.ndjson(r.stdout)
        #expect(rows.count == facts["sip_messages"] as? Int)
        if let transport = facts["transport"] as? String {
            #expect(rows.allSatisfy { $0["transport"] as? String == transport }, "\(name): \(rows.map { $0["transport"] ?? "-" })")
        }
        if let node = facts["hep_node"] as? Int {
            #expect(rows.allSatisfy { $0["hep_node"] as? Int == node }, "\(name): every message names node \(node)")
            // The original endpoints, not the agent's or the collector's.
            #expect(rows.allSatisfy { ($0["src"] as? String ?? "").hasPrefix("127.0.2.") && !($0["dst"] as? String ?? "").hasSuffix(":9060") })
            let text = try CommandRunner.buttonscope(["messages", Paths.capture(name)]).stdout
            #expect(text.contains("node \(node)"))
        } else {
            #expect(rows.allSatisfy { $0["hep_node"] == nil }, "\(name): no HEP fields on messages that did not come by HEP")
        }
        if let correlation = facts["hep_correlation_id"] as? String {
            #expect(rows.contains { $0["hep_correlation_id"] as? String == correlation })
        }
    }

    @Test("timeline: key states through the carrier", arguments: names)
    func keyStates(_ name: String) throws {
        let facts = try #require(Self.entries().first { $0.0 == name }?.1)
        guard let t = facts["timeline"] as? [String: Any], let phone = t["phone"] as? String, let key = t["key"] as? String,
              let lights = t["lights"] as? [String] else { return }
        let r = try CommandRunner.buttonscope(["timeline", Paths.capture(name), "--phone", phone, "--key", key, "--json"])
        #expect(r.status == 0, "\(name): \(r.stderr)")
        let seen = try CommandRunner.ndjson(r.stdout).compactMap { ($0["state"] as? [String: Any])?["light"] as? String }
        #expect(seen == lights, "\(name): timeline lights \(seen), manifest \(lights)")
    }

    /// A plain capture's messages output has no HEP fields (byte-identical output for non-HEP).
    @Test func plainCapturesHaveNoHEPFields() throws {
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("why-all-good.pcap")])
        #expect(!r.stdout.contains("hep_"))
        #expect(!(try CommandRunner.buttonscope(["messages", Paths.capture("why-all-good.pcap")]).stdout.contains("HEP")))
    }
}
