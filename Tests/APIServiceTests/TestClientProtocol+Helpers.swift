import Hummingbird
import HummingbirdTesting

extension TestClientProtocol {
    /// Waits up to 20 s for `/ready` to answer 200.
    func waitReady() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if try await execute(uri: "/ready", method: .get).status == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("the api did not become ready within 20 s")
    }

    /// The value of the unlabelled sample `name` in `/metrics`, or `nil` when absent.
    func metric(_ name: String) async throws -> Double? {
        let metrics = String(buffer: try await execute(uri: "/metrics", method: .get).body)
        return metrics.split(separator: "\n")
            .first { $0.hasPrefix(name + " ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
