import Foundation
import TestSupport
import Testing

/// The libraries' errors carry no option names (`OptionNamesPlacementTests`); the command line
/// still tells the user which of its options helps, as it did before the split.
@Suite struct OptionHintTests {
    @Test func aBadListenAddressNamesListen() throws {
        let r = try CommandRunner.buttonscope(["phone", "--user", "44", "--listen", "bogus"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("buttonscope: --listen bogus: the form is udp|tcp|tls:HOST:PORT"), "\(r.stderr)")
    }

    @Test func aBadCaptureFilterNamesBPF() throws {
        let r = try CommandRunner.buttonscope(["watch", "-i", "lo", "--bpf", "port (("])
        #expect(r.status == 2)
        #expect(r.stderr.contains("buttonscope: --bpf port ((: "), "\(r.stderr)")
    }

    @Test func aRefusedWebServerNamesPort() throws {
        // Port 9 (discard) has no listener on loopback here: the connection is refused at once.
        let r = try CommandRunner.buttonscope(["press", "127.0.0.1", "enter", "--port", "9"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("127.0.0.1 port 9 refused the connection: is its web server on, and on that port (--port)?"), "\(r.stderr)")
        let json = try CommandRunner.buttonscope(["press", "127.0.0.1", "enter", "--port", "9", "--json"])
        #expect(json.stdout.contains("(--port)?"), "\(json.stdout)")
    }
}
