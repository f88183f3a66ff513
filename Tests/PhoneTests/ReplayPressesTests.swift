import Foundation
import Phone
import Testing
import TestSupport

/// Issue 15 item 1 with real parts: `replay` to the emulated phone on loopback (127.0.7.0/24).
@Suite(.serialized) struct ReplayPressesTests {
    @Test("\"The owner of extension 404 decides to seize the line and sends a message to the registrar\": replay sends 404 its documents, never its presses")
    func replayNeverSendsThePhonesPressesToIt() throws {
        let path = Paths.root.appendingPathComponent("captures/spec-shared-line-udp.pcap").path
        let phone = EmulatedPhone(.init(user: "404", listen: [PhoneListenAddress(transport: .udp, host: "127.0.7.3", port: 0)]))
        try phone.start()
        defer { phone.stop() }
        let port = try #require(phone.boundAddresses.first?.port)
        let run = try CommandRunner.buttonscope(["replay", path, "--to", "sip:404@127.0.7.3:\(port)", "--phone", "404", "--json"], environment: [:])
        #expect(run.status == 0, "\(run.stderr)")
        let exchanges = run.stdout.split(separator: "\n").filter { $0.contains("\"record\":\"exchange\"") }
        // The three documents the registrar sent 404; its two presses (k=1 a=seize, k=2 a=release) stay out.
        #expect(exchanges.count == 3, "\(run.stdout)")
        #expect(phone.keys["1"]?.light == "on")
        #expect(phone.keys["1"]?.action == "release")
        #expect(phone.keys["2"]?.action == "seize")
        #expect(phone.keys["2"]?.destination == "*602co2")
    }
}
