/// Where a TLS key log came from: an option, or the environment (SSLKEYLOGFILE). Kept with the
/// loaded capture so that "keys missing" advice names the file the user gave.
public struct KeyLogSource: Equatable, Sendable {
    public var path: String
    public var fromEnvironment: Bool
    /// How the user named it, for messages.
    public var shown: String { fromEnvironment ? "SSLKEYLOGFILE=\(path)" : path }

    public init(path: String, fromEnvironment: Bool) {
        self.path = path
        self.fromEnvironment = fromEnvironment
    }
}
