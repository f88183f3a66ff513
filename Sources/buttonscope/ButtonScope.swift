import ArgumentParser
import Pipeline
import Rendering

/// The command line: one subcommand a file, each a view of the same pipeline.
struct ButtonScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buttonscope",
        abstract: "Read packet captures of Snom x-buttons traffic and explain what every key lamp did.",
        discussion: """
        Start with `buttonscope summary CAPTURE`: it lists the phones, their registrations, the documents they got, the problems found, and the `why` commands worth running next.

        To reproduce a fault on the desk, `replay` re-sends chosen captured messages to a phone (or to `buttonscope phone`, an emulated Snom) through one shared sender, which `send`, `bind-key` and the phone itself also use; `press` presses keys through the phone's web server.

        Exit status: 0 clean, 1 problems found (lint errors, a broken link in why, a failed exchange), 2 unusable input or arguments.
        """,
        version: ButtonScopeVersion.current,
        subcommands: [
            SummaryCommand.self, MessagesCommand.self, ExchangesCommand.self, TimelineCommand.self,
            StateCommand.self, LintCommand.self, WhyCommand.self, ReportCommand.self, WatchCommand.self, ExportCommand.self,
            ReplayCommand.self, SendCommand.self, BindKeyCommand.self, PhoneCommand.self, PressCommand.self,
        ]
    )
}
