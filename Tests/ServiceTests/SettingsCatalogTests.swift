import AdrecsRuntime
import AdrecsTestSupport
import APIService
import Configuration
import IngestService
import ModelsService
import Testing
import WriterService

/// Each service's settings catalog (its `--help` and README table) against the config it reads.
@Suite struct SettingsCatalogTests {
    static let catalogs: [(String, SettingsCatalog)] = [
        ("ingest", IngestConfig.settings), ("models", ModelsConfig.settings),
        ("writer", WriterConfig.settings), ("api", APIConfig.settings),
    ]

    @Test(arguments: catalogs)
    func namesEachKeyOnceAndMarksTheSecrets(service: String, catalog: SettingsCatalog) {
        let names = catalog.settings.map(\.name)
        #expect(Set(names).count == names.count, "\(service)")
        #expect(catalog["LOG_LEVEL"]?.defaultValue == "info")
        #expect(catalog["LOG_FORMAT"]?.defaultValue == "text")
        #expect(catalog["DB_URL"]?.secrecy == .credentialsInURL)
        for name in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            if let setting = catalog[name] { #expect(setting.secrecy == .secret, "\(service) \(name)") }
        }
    }

    /// Every default the catalog states is one the config accepts, and the config read from
    /// nothing equals the config read from the catalog's defaults.
    @Test func catalogDefaultsAreTheConfigsDefaults() throws {
        func defaults(_ catalog: SettingsCatalog) -> ConfigReader {
            .inMemory(Dictionary(uniqueKeysWithValues: catalog.settings.compactMap { setting in
                setting.defaultValue.map { (setting.configKey, $0) }
            }))
        }
        let empty = ConfigReader.inMemory([:])
        let ingest = (try IngestConfig(config: empty), try IngestConfig(config: defaults(IngestConfig.settings)))
        #expect(ingest.0.ops == ingest.1.ops && ingest.0.messaging == ingest.1.messaging && ingest.0.runtime == ingest.1.runtime)
        #expect(ingest.0.rawLayout == ingest.1.rawLayout && ingest.0.logging == ingest.1.logging)
        #expect(ingest.0.database.url == ingest.1.database.url && ingest.0.database.poolSize == ingest.1.database.poolSize)
        #expect(ingest.0.database.timeouts == ingest.1.database.timeouts && ingest.0.database.schema == ingest.1.database.schema)
        #expect("\(ingest.0.storage)" == "\(ingest.1.storage)")
        let models = (try ModelsConfig(config: empty), try ModelsConfig(config: defaults(ModelsConfig.settings)))
        #expect(models.0.ops == models.1.ops && models.0.sendTimeout == models.1.sendTimeout)
        #expect(models.0.modelsEndpoint == models.1.modelsEndpoint && models.0.writerEndpoint == models.1.writerEndpoint)
        let writer = (try WriterConfig(config: empty), try WriterConfig(config: defaults(WriterConfig.settings)))
        #expect(writer.0.ops == writer.1.ops && writer.0.retryBudget == writer.1.retryBudget)
        #expect(writer.0.minRowsFraction == writer.1.minRowsFraction && writer.0.writerEndpoint == writer.1.writerEndpoint)
        let api = (try APIConfig(config: empty), try APIConfig(config: defaults(APIConfig.settings)))
        #expect(api.0.http == api.1.http && api.0.reloadInterval == api.1.reloadInterval && api.0.accessLog == api.1.accessLog)
        #expect(api.0.database.poolSize == api.1.database.poolSize)
    }
}
