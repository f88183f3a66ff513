import ArgumentParser

/// The exit statuses scripts rely on (DESIGN.md): 0 clean, 1 problems found, 2 unusable input.
enum ExitStatus {
    static let problemsFound = ExitCode(1)
    static let unusableInput = ExitCode(2)
}

/// Unusable input: one clear line on stderr, exit status 2.
struct UnusableInput: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
