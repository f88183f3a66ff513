import ArgumentParser
import Pipeline
import Rendering

/// The exit statuses scripts rely on (DESIGN.md): 0 clean, 1 problems found, 2 unusable input.
enum ExitStatus {
    static let problemsFound = ExitCode(1)
    static let unusableInput = ExitCode(2)
}
