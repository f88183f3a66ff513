import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Pipeline
import Rendering

/// The entry point. swift-argument-parser exits 64 (EX_USAGE) on an argument error; README and
/// every `--help` promise 2 for unusable input or arguments, so argument errors are mapped here,
/// with the parser's own message and usage.
do {
    var command = try ButtonScope.parseAsRoot()
    try command.run()
    Output.flush()
} catch {
    Output.flush()
    if ButtonScope.exitCode(for: error) == .validationFailure {
        Output.error(ButtonScope.fullMessage(for: error))
        exit(ExitStatus.unusableInput.rawValue)
    }
    ButtonScope.exit(withError: error)
}
