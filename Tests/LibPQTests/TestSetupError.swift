/// A test environment problem (missing `DB_URL`, server down, timeout), reported as a failure.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
