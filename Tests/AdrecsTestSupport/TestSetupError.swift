/// A test could not set up what it needs (a server, a variable, a file): the test fails with this message.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
