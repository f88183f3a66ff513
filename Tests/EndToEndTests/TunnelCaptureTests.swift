import Foundation
import Testing
import TestSupport

/// The tunnel captures (`captures/expected-tunnels.json`): key states read through the tunnels
/// match the manifest's timelines, every MESSAGE names the tunnel it came through, and plain
/// captures never show a tunnel.
@Suite struct TunnelCaptureTests {
    static func tunnelManifest() throws -> [String: [String: Any]] {
        let url = Paths.captures.appendingPathComponent("expected-tunnels.json")
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    }

    static var files: [String] { ((try? tunnelManifest()) ?? [:]).keys.sorted() }

    @Test("key states through the tunnel", arguments: files)
    func keyStatesThroughTheTunnel(_ name: String) throws {
        let facts = try #require(try Self.tunnelManifest()[name])
        var timelines = facts["timelines"] as? [[String: Any]] ?? []
        if timelines.isEmpty, let one = facts["timeline"] as? [String: Any] { timelines = [one] }
        #expect(!timelines.isEmpty, "\(name) has no timeline in the manifest")
        let r = try CommandRunner.buttonscope(["timeline", "--json", Paths.capture(name)])
        #expect(r.status == 0)
        let events = try CommandRunner.ndjson(r.stdout)
        for t in timelines {
            let phone = try #require(t["phone"] as? String), key = try #require(t["key"] as? String)
            let lights = events.filter { $0["user"] as? String == phone && $0["key"] as? String == key && $0["direction"] as? String == "to-phone" }
                .compactMap { ($0["state"] as? [String: Any])?["light"] as? String }
            #expect(lights == t["lights"] as? [String], "\(name): phone \(phone) key \(key) lights \(lights)")
        }
    }

    @Test("every MESSAGE names its tunnel", arguments: files)
    func messagesNameTheirTunnel(_ name: String) throws {
        let facts = try #require(try Self.tunnelManifest()[name])
        let expected = try #require(facts["tunnel"] as? String)
        let r = try CommandRunner.buttonscope(["messages", "--json", "--method", "MESSAGE", Paths.capture(name)])
        let requests = try CommandRunner.ndjson(r.stdout).filter { $0["method"] as? String == "MESSAGE" }
        #expect(!requests.isEmpty)
        // The two-tenant file: VNI 42's MESSAGEs carry the manifest's tunnel, VNI 43's their own.
        let tunnels = Set(requests.compactMap { $0["tunnel"] as? String })
        #expect(tunnels.contains(expected), "\(name): \(tunnels)")
        #expect(requests.allSatisfy { $0["tunnel"] is String }, "\(name): a MESSAGE without its tunnel")
        let text = try CommandRunner.buttonscope(["messages", Paths.capture(name)])
        #expect(text.stdout.contains("via \(expected)"), "\(name): the text does not show the tunnel")
    }

    @Test func twoTenantsWithTheSameAddressesAreTwoTunnels() throws {
        let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture("tunnel-vxlan-two-tenants-tcp.pcap")])
        let all = try CommandRunner.ndjson(r.stdout)
        let vnis = Dictionary(grouping: all, by: { ($0["tunnel"] as? String)?.components(separatedBy: " ").prefix(3).joined(separator: " ") ?? "" })
        #expect(vnis["vxlan vni 42"]?.count == 8 && vnis["vxlan vni 43"]?.count == 6, "\(vnis.mapValues(\.count))")
        // The same inner endpoints in both.
        #expect(Set(all.compactMap { $0["src"] as? String }) == ["10.42.0.1:5060", "10.42.0.2:5062"])
    }

    @Test func plainCapturesShowNoTunnel() throws {
        for name in ["spec-incoming-call-key3-tcp.pcap", "udp-fragments-out-of-order.pcap", "vlan-qinq.pcap"] {
            let r = try CommandRunner.buttonscope(["messages", "--json", Paths.capture(name)])
            #expect(!r.stdout.contains("\"tunnel\""), "\(name)")
            let text = try CommandRunner.buttonscope(["messages", Paths.capture(name)])
            #expect(!text.stdout.contains(" via "), "\(name)")
        }
    }
}
