import Foundation
import Testing
import TestSupport

/// `bind-key` takes snom_bind_key's arguments in mod_snom's order, profile included, so a line
/// copied from a FreeSWITCH dialplan runs unchanged. Each test quotes the PROTOCOL.md sentence
/// (its "mod_snom, exactly" section) or the seed it follows.
@Suite(.serialized) struct BindKeyModSnomTests {
    /// An empty config home: no profiles file at all.
    static func emptyConfigHome() throws -> String {
        let dir = Paths.temporary("xdg")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func dryRunBytes(_ run: CommandRunner.Result) -> (to: String, bytes: String)? {
        guard let o = (try? CommandRunner.ndjson(run.stdout))?.first(where: { $0["record"] as? String == "dry-run" }),
              let to = o["to"] as? String, let bytes = o["bytes"] as? String else { return nil }
        return (to, bytes)
    }

    static func body(_ message: String) -> String {
        guard let r = message.range(of: "\r\n\r\n") else { return "" }
        return String(message[r.upperBound...])
    }

    // "with 8 the body is `k=KEY\nc=LIGHT\nl=LABEL\nn=ACTION\na=ACTION_NAME\n` (the 7th argument
    // becomes `a=`, the 8th `n=`, and the 8th keeps the rest of the line, spaces included)"
    // Seed: snom_bind_key(2 on DND ${sip_from_user} ${sip_from_host} ${sofia_profile_name} message api+uuid_transfer ${uuid} 9001)
    @Test func theSeedsDialplanLineRunsUnchangedToSIPp() throws {
        let sipp = try #require(CommandRunner.tool("sipp"), "sipp is required (apt-get install sip-tester)")
        let home = try Self.emptyConfigHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let uas = try SIPpPeer(scenario: Paths.senderFixture("sipp-phone-uas.xml"), sipp: sipp, address: "127.0.8.3", calls: 1)
        defer { uas.stop() }
        let run = try CommandRunner.buttonscope(["bind-key", "2", "on", "DND", "44", "127.0.8.3:\(uas.port)", "internal",
                                             "message", "api+uuid_transfer", "abc", "9001", "--json"],
                                            environment: ["XDG_CONFIG_HOME": home])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // "a profile the file does not define (FreeSWITCH's usual `internal`, or no file at all) means the defaults, said in one line on stderr"
        let notes = run.stderr.split(separator: "\n")
        #expect(notes.count == 1 && notes[0].contains("profile internal") && notes[0].contains("defaults"), "stderr: \(run.stderr)")
        try uas.waitForExit()
        let received = try uas.trace()
        #expect(received.contains("k=2\nc=on\nl=DND\nn=api+uuid_transfer abc 9001\na=message\n"), "SIPp got: \(received)")
        #expect(received.contains("MESSAGE sip:44@127.0.8.3:\(uas.port) SIP/2.0"))
    }

    // "with 6 or 7 it is `k=KEY\nc=LIGHT\nl=LABEL\n\n` (a lone 7th is dropped)"; "fewer than 6 arguments is an error"
    @Test func sixOrSevenArgumentsSendTheShortBodyAndFewerAreAnError() throws {
        let home = try Self.emptyConfigHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = ["XDG_CONFIG_HOME": home]
        let six = try CommandRunner.buttonscope(["bind-key", "2", "off", "DND", "44", "127.0.8.3", "internal", "--dry-run", "--json"], environment: env)
        #expect(six.status == 0, "stderr: \(six.stderr)")
        #expect(Self.body(Self.dryRunBytes(six)?.bytes ?? "") == "k=2\nc=off\nl=DND\n\n")

        let seven = try CommandRunner.buttonscope(["bind-key", "2", "off", "DND", "44", "127.0.8.3", "internal", "message", "--dry-run", "--json"], environment: env)
        #expect(seven.status == 0)
        #expect(Self.body(Self.dryRunBytes(seven)?.bytes ?? "") == "k=2\nc=off\nl=DND\n\n")
        #expect(seven.stderr.contains("ACTION_NAME without ACTION: dropped"))

        let five = try CommandRunner.buttonscope(["bind-key", "2", "off", "DND", "44", "127.0.8.3", "--dry-run"], environment: env)
        #expect(five.status == 2)
        #expect(five.stderr.contains("at least 6 arguments"))
        #expect(five.stdout.isEmpty, "nothing is sent or printed on a usage error")
    }

    // Seed: snom_bind_key(2 off DND ${sip_from_user} ${sip_from_host} ${sofia_profile_name} message notused)
    // "Labels with spaces are written in single quotes."
    @Test func lineTakesTheDialplanDataAsOneString() throws {
        let home = try Self.emptyConfigHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = ["XDG_CONFIG_HOME": home]
        let demo2 = try CommandRunner.buttonscope(["bind-key", "--line", "2 off DND 44 127.0.8.3 internal message notused", "--dry-run", "--json"], environment: env)
        #expect(demo2.status == 0, "stderr: \(demo2.stderr)")
        #expect(Self.body(Self.dryRunBytes(demo2)?.bytes ?? "") == "k=2\nc=off\nl=DND\nn=notused\na=message\n")
        let spaced = try CommandRunner.buttonscope(["bind-key", "--line", "4 on 'Office Hours' 44 127.0.8.3 internal message api+uuid_transfer  abc 9001",
                                                "--dry-run", "--json"], environment: env)
        #expect(Self.body(Self.dryRunBytes(spaced)?.bytes ?? "") == "k=4\nc=on\nl=Office Hours\nn=api+uuid_transfer  abc 9001\na=message\n")
    }

    // "A profile is a named sender setup (local address, transport, TLS CA file, …) read from a TOML config file"
    @Test func aDefinedProfileChoosesTransportPortAndLocalAddress() throws {
        let home = try Self.emptyConfigHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/buttonscope", withIntermediateDirectories: true)
        try """
        # the lab's phones
        [profiles.lab]
        transport = "tcp"
        port = 5072
        local = "127.0.8.9"
        """.write(toFile: home + "/buttonscope/profiles.toml", atomically: true, encoding: .utf8)
        let run = try CommandRunner.buttonscope(["bind-key", "3", "on", "Sales", "44", "127.0.8.3", "lab", "--dry-run", "--json"],
                                            environment: ["XDG_CONFIG_HOME": home])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // A defined profile needs no note about defaults (the dry run may still say that the local
        // port, chosen only when sending, shows as a placeholder).
        #expect(!run.stderr.contains("profile"), "a defined profile needs no note: \(run.stderr)")
        let dry = try #require(Self.dryRunBytes(run))
        #expect(dry.to == "sip:44@127.0.8.3:5072;transport=tcp")
        #expect(dry.bytes.contains("Via: SIP/2.0/TCP 127.0.8.9:"))
        // --config names another file; it must exist.
        let missing = try CommandRunner.buttonscope(["bind-key", "3", "on", "Sales", "44", "127.0.8.3", "lab", "--config", home + "/nope.toml", "--dry-run"],
                                                environment: ["XDG_CONFIG_HOME": home])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.toml"))
    }

    // "A bad config file: exit 2 naming the file, line and what is wrong."
    @Test func aBadConfigFileIsExit2NamingFileLineAndWhat() throws {
        let dir = try Self.emptyConfigHome()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [(String, String, String)] = [
            ("[profiles.lab]\ntransport = \"udp\"\nport = \"5062\"\n", ":3:", "port must be a number"),
            ("[profiles.lab]\nlocal = \"127.0.8.9\"\ncolour = \"red\"\n", ":3:", "unknown key `colour`"),
            ("[profiles.lab\nport = 5062\n", ":1:", "expected ']'"),
            ("[profiles.lab]\ntransport = \"sctp\"\n", ":2:", "not one of udp, tcp, tls"),
        ]
        for (i, (text, line, what)) in cases.enumerated() {
            let path = dir + "/bad\(i).toml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let run = try CommandRunner.buttonscope(["bind-key", "3", "on", "Sales", "44", "127.0.8.3", "lab", "--config", path, "--dry-run"], environment: [:])
            #expect(run.status == 2, "case \(i): \(run.stderr)")
            #expect(run.stderr.contains(path + line), "case \(i) should name \(path)\(line): \(run.stderr)")
            #expect(run.stderr.contains(what), "case \(i): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }
}
