import AdrecsPipeline
public import AdrecsRuntime
public import Configuration

/// Where ingest tells the models stage about finished runs.
///
/// Keys: `messaging.models.endpoint` (`MESSAGING_MODELS_ENDPOINT`, default `tcp://127.0.0.1:5557`):
/// ingest BINDS a PUSH socket here and every models process CONNECTS a PULL (a `:*` port picks a
/// free one); `messaging.send.timeout.ms` (`MESSAGING_SEND_TIMEOUT_MS`, default 5000): how long a
/// send waits for a models process to take the message before leaving the hand-over to the ledger's redelivery.
public struct IngestMessagingConfig: Sendable, Equatable {
    public static let defaultModelsEndpoint = "tcp://127.0.0.1:5557"

    public var modelsEndpoint: String
    public var sendTimeout: Duration

    public init(modelsEndpoint: String = IngestMessagingConfig.defaultModelsEndpoint, sendTimeout: Duration = .seconds(5)) {
        self.modelsEndpoint = modelsEndpoint
        self.sendTimeout = sendTimeout
    }

    public static let settings: [Setting] = [
        Setting("MESSAGING_MODELS_ENDPOINT", default: defaultModelsEndpoint, "Ingest binds a PUSH socket here; every models process connects a PULL."),
        Setting("MESSAGING_SEND_TIMEOUT_MS", default: "\(defaultSendTimeoutMilliseconds)",
                "How long a send waits for a models process before leaving the hand-over to the ledger's redelivery."),
    ]
    public static let defaultSendTimeoutMilliseconds = 5000

    public init(config: ConfigReader) throws(ConfigError) {
        let endpoint = config.string(forKey: "messaging.models.endpoint", default: Self.defaultModelsEndpoint)
        guard endpoint.contains("://") else {
            throw ConfigError(key: "messaging.models.endpoint", message: "not a ZeroMQ endpoint '\(endpoint)'")
        }
        let timeout = try ConfigValues.positiveInt(config, "messaging.send.timeout.ms", default: Self.defaultSendTimeoutMilliseconds)
        self.init(modelsEndpoint: endpoint, sendTimeout: .milliseconds(timeout))
    }
}
