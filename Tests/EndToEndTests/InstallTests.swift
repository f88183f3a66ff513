import Foundation
import Testing
import TestSupport

/// `scripts/install` installs like a tool of its kind: the binary, a man page generated from the
/// commands' help, and shell completions — here from the debug build, into a temporary prefix.
@Suite struct InstallTests {
    static func shell(_ script: String) throws -> CommandRunner.Result {
        try CommandRunner.run("/bin/bash", ["-c", script])
    }

    @Test func theBinaryTheManPageAndTheCompletionsAreInstalled() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let script = Paths.root.appendingPathComponent("scripts/install").path
        let install = try CommandRunner.run(script, ["--debug", "--no-build", "--prefix", prefix])
        try #require(install.status == 0, "\(install.stdout)\(install.stderr)")

        let installed = try CommandRunner.run(prefix + "/bin/buttonscope", ["--version"])
        let built = try CommandRunner.buttonscope(["--version"])
        #expect(installed.status == 0 && !installed.stdout.isEmpty && installed.stdout == built.stdout)

        // man renders it without a warning, and every subcommand and the shared selection are in it.
        let man = try Self.shell("MANWIDTH=100 man -l '\(prefix)/share/man/man1/buttonscope.1'")
        #expect(man.status == 0)
        #expect(man.stderr.isEmpty, "\(man.stderr)")
        for command in ["summary", "messages", "exchanges", "timeline", "state", "lint", "why", "report", "watch",
                        "export", "replay", "send", "bind-key", "phone", "press", "--frames", "--call-id", "Exit status"] {
            #expect(man.stdout.contains(command), "the man page lacks \(command)")
        }

        // bash loads the completion and completes subcommands.
        let bash = try Self.shell("""
            source '\(prefix)/share/bash-completion/completions/buttonscope'
            complete -p buttonscope
            COMP_WORDS=(buttonscope rep); COMP_CWORD=1; COMP_LINE='buttonscope rep'; COMP_POINT=${#COMP_LINE}
            _buttonscope; echo "${COMPREPLY[@]}"
            """)
        #expect(bash.stdout.contains("-F _buttonscope buttonscope"), "\(bash.stdout)\(bash.stderr)")
        #expect(bash.stdout.contains("replay"), "\(bash.stdout)\(bash.stderr)")
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_buttonscope", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef buttonscope"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/buttonscope.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'buttonscope'"))
    }
}
