import Foundation
import Testing
import TestSupport

/// `press` takes mod_snom's snom_command forms `*/USER`, `*/USER@DOMAIN` and `PROFILE/USER@DOMAIN`,
/// resolved through the REGISTERs of a capture made by SIPp (captures/specsend/make-registrations.sh).
/// The capture's phones registered from our own loopback addresses, where the test's web server
/// listens: nothing is ever sent to an address the capture names unless the test serves it.
@Suite(.serialized) struct PressRegisteredUserTests {
    static let capture = Paths.capture("registrations-live-expired-ambiguous.pcap")

    // PROTOCOL.md: "A user is resolved to the source address of its REGISTER (the NAT address, if any)."
    // Seed (mod_snom): "snom_command */2000 key enter … sends the ENTER key command to the snom from
    // which user is registered to FreeSWITCH."
    @Test func starSlashUserPressesOnTheSourceAddressOfItsLiveRegister() throws {
        let server = try PressFixtureServer(scheme: "digest", user: "admin", password: "pw", host: "127.0.8.11")
        defer { server.stop() }
        let run = try CommandRunner.buttonscope(["press", "*/44", "enter", "--registrations", Self.capture, "--port", String(server.port),
                                             "--password-env", "BS_TEST_PASS", "--json"], environment: ["BS_TEST_PASS": "pw"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(try CommandRunner.ndjson(run.stdout).first)
        #expect(object["host"] as? String == "127.0.8.11")
        #expect(object["user"] as? String == "44")
        #expect(object["registered_frame"] as? Int == 3)
        #expect(object["status"] as? Int == 200)
        #expect(run.stderr.contains("*/44 is 127.0.8.11: REGISTER frame 3"))
        let seen = try server.requests()
        #expect(seen.last?.path == "/command.htm?key=enter")
        #expect(seen.last?.valid == true)
    }

    // Seed: "snom_command */<user>@<domain> key <key>" and "snom_command <profile>/<user>@<domain> key <key>";
    // a profile the file does not define "means the defaults, said in one line on stderr".
    @Test func userAtDomainAndProfileFormsPickTheRegistrationInThatDomain() throws {
        let server = try PressFixtureServer(scheme: "basic", user: "admin", password: "pw", host: "127.0.8.17")
        defer { server.stop() }
        let home = Paths.temporary("xdg")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = ["BS_TEST_PASS": "pw", "XDG_CONFIG_HOME": home]
        let star = try CommandRunner.buttonscope(["press", "*/47@other.example", "1;2;#", "--registrations", Self.capture,
                                              "--port", String(server.port), "--password-env", "BS_TEST_PASS"], environment: env)
        #expect(star.status == 0, "stderr: \(star.stderr)")
        #expect(star.stdout.hasPrefix("127.0.8.17: HTTP 200"))
        let profile = try CommandRunner.buttonscope(["press", "internal/47@other.example", "enter", "--registrations", Self.capture,
                                                 "--port", String(server.port), "--password-env", "BS_TEST_PASS"], environment: env)
        #expect(profile.status == 0, "stderr: \(profile.stderr)")
        #expect(profile.stderr.contains("profile internal") && profile.stderr.contains("defaults"))
        #expect(try server.requests().filter(\.valid).map(\.path) == ["/command.htm?key=1%3B2%3B%23", "/command.htm?key=enter"])
    }

    // "ambiguous (several live contacts) or expired registrations are said, with the candidates, exit 2"
    @Test func ambiguousExpiredAndUnknownUsersAreSaidWithTheCandidates() throws {
        let ambiguous = try CommandRunner.buttonscope(["press", "*/45", "enter", "--registrations", Self.capture], environment: [:])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("ambiguous") && ambiguous.stderr.contains("127.0.8.12") && ambiguous.stderr.contains("127.0.8.13"),
                "\(ambiguous.stderr)")
        let byDomain = try CommandRunner.buttonscope(["press", "*/47", "enter", "--registrations", Self.capture], environment: [:])
        #expect(byDomain.status == 2)
        #expect(byDomain.stderr.contains("127.0.8.16") && byDomain.stderr.contains("127.0.8.17"))

        let expired = try CommandRunner.buttonscope(["press", "*/46", "enter", "--registrations", Self.capture], environment: [:])
        #expect(expired.status == 2)
        #expect(expired.stderr.contains("no live registration") && expired.stderr.contains("127.0.8.14")
                && expired.stderr.contains("expired at"), "\(expired.stderr)")

        let unknown = try CommandRunner.buttonscope(["press", "*/99", "enter", "--registrations", Self.capture], environment: [:])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no REGISTER of 99") && unknown.stderr.contains("44, 45, 46, 47, 48"), "\(unknown.stderr)")

        let noCapture = try CommandRunner.buttonscope(["press", "*/44", "enter"], environment: [:])
        #expect(noCapture.status == 2)
        #expect(noCapture.stderr.contains("--registrations"))
    }
}
