/// A test fixture that could not do its part (a server that did not start, a tool that failed),
/// thrown so the test fails saying why.
public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
