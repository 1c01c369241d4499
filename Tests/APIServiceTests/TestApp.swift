import APIService
import AdrecsRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus

/// An api application over memory: a store pre-filled from `days` (none: not ready), its registry,
/// and the interactive docs (`docs`, none by default).
struct TestApp {
    static let logger = Logger(label: "adrecs.test.api")

    let store: SnapshotStore
    let registry = PrometheusCollectorRegistry()
    let metrics: APIMetrics
    let docs: APIDocs

    init(days: [SnapshotDay]? = Fixtures.days(), docs: APIDocs = .notInstalled) {
        store = SnapshotStore(initial: days.flatMap { Snapshot.build(days: $0) })
        metrics = APIMetrics(registry: registry)
        self.docs = docs
    }

    /// The router alone, for `.router` tests.
    func application() -> some ApplicationProtocol {
        Application(router: buildAPIRouter(store: store, metrics: metrics, registry: registry, docs: docs),
                    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                    logger: Self.logger)
    }
}

/// A decoded JSON body.
func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
    guard let dictionary = object as? [String: Any] else { throw TestFailure("body is not a JSON object") }
    return dictionary
}

/// The `error.code` of an error body, or `nil` when the body is not one.
func errorCode(_ buffer: ByteBuffer) -> String? {
    guard let body = try? json(buffer), body.count == 1, let error = body["error"] as? [String: Any],
          error.count == 2, error["message"] is String
    else { return nil }
    return error["code"] as? String
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
