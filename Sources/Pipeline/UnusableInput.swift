/// Unusable input: one clear line on stderr, exit status 2 (the CLI's `runReporting` says it).
/// Thrown by the pipeline too (a file that is no capture), so it lives below the CLI.
public struct UnusableInput: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
