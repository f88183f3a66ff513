import ArgumentParser

/// The command line: one subcommand a file, each a view of the same pipeline.
@main
struct ButtonScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buttonscope",
        abstract: "Read packet captures of Snom x-buttons traffic and explain what every key lamp did.",
        subcommands: [MessagesCommand.self, PressCommand.self, PhoneCommand.self, ReplayCommand.self, BindKeyCommand.self, SendCommand.self]
    )
}
