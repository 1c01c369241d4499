import AdrecsRuntime
import AdrecsStorage
import S3Store
import Testing

@Suite struct StorageConfigTests {
    private let credentials = ["aws.access.key.id": "AKID", "aws.secret.access.key": "s3cr3t-value"]

    @Test func defaultsToTheLocalServerWithPathAddressing() async throws {
        let config = try StorageConfig(config: reader(credentials))
        #expect(config.endpoint == "http://127.0.0.1:18333")
        #expect(config.region == "us-east-1")
        #expect(config.bucket == "adrecs")
        #expect(config.addressing == .path)
        #expect(config.credentials is S3StaticCredentialsProvider)
        #expect(try await config.credentials.credentials() == S3Credentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t-value"))
    }

    @Test func anEmptyEndpointMeansAWSWithVirtualHostedAddressing() throws {
        let config = try StorageConfig(config: reader(credentials.merging(["s3.endpoint": "", "s3.region": "eu-west-1"]) { $1 }))
        #expect(config.endpoint == nil)
        #expect(config.region == "eu-west-1")
        #expect(config.addressing == .virtualHosted)
    }

    @Test(arguments: [("path", S3AddressingStyle.path), ("virtual", .virtualHosted), ("VIRTUAL", .virtualHosted)])
    func readsTheAddressingStyle(raw: String, expected: S3AddressingStyle) throws {
        let config = try StorageConfig(config: reader(credentials.merging(["s3.addressing": raw, "s3.bucket": "b1"]) { $1 }))
        #expect(config.addressing == expected)
        #expect(config.bucket == "b1")
    }

    @Test func theRetryBudgetDefaultsToAMinuteAndReachesTheClient() throws {
        let config = try StorageConfig(config: reader(credentials))
        #expect(config.retryBudget == .seconds(60))
        let tuned = try StorageConfig(config: reader(credentials.merging(["s3.retry.budget.seconds": "120"]) { $1 }))
        #expect(tuned.retryBudget == .seconds(120))
        #expect(try tuned.makeClient().configuration.retryPolicy.budget == .seconds(120))
        for bad in ["-1", "x", "3601"] {
            let error = #expect(throws: ConfigError.self) {
                try StorageConfig(config: reader(credentials.merging(["s3.retry.budget.seconds": bad]) { $1 }))
            }
            #expect(error?.key == "s3.retry.budget.seconds")
        }
    }

    @Test func rejectsAnUnknownAddressingStyle() {
        #expect(throws: ConfigError(key: "s3.addressing", message: "expected 'path' or 'virtual', got 'dns'")) {
            try StorageConfig(config: reader(credentials.merging(["s3.addressing": "dns"]) { $1 }))
        }
    }

    @Test func oneKeyWithoutTheOtherNamesTheMissingVariable() {
        let noKey = #expect(throws: ConfigError.self) { try StorageConfig(config: reader(["aws.secret.access.key": "s3cr3t-value"])) }
        #expect(noKey?.environmentName == "AWS_ACCESS_KEY_ID")
        #expect(noKey?.description.contains("s3cr3t-value") == false)
        let noSecret = #expect(throws: ConfigError.self) { try StorageConfig(config: reader(["aws.access.key.id": "AKID"])) }
        #expect(noSecret?.environmentName == "AWS_SECRET_ACCESS_KEY")
        #expect(noSecret?.description.contains("missing") == true)
        let tokenOnly = #expect(throws: ConfigError.self) { try StorageConfig(config: reader(["aws.session.token": "tok-123"])) }
        #expect(tokenOnly?.environmentName == "AWS_SESSION_TOKEN")
    }

    @Test func readsTheSessionTokenAndNeverPrintsSecrets() async throws {
        let config = try StorageConfig(config: reader(credentials.merging(["aws.session.token": "tok-123"]) { $1 }))
        #expect(try await config.credentials.credentials().sessionToken == "tok-123")
        #expect(!config.description.contains("s3cr3t-value"))
        #expect(!config.description.contains("tok-123"))
        #expect(config.description.contains("AKID"))
    }

    @Test func withoutKeysUsesTheStandardChainFromItsKeys() throws {
        let config = try StorageConfig(config: reader([
            "aws.container.credentials.full.uri": "http://127.0.0.1:9/creds",
            "aws.container.authorization.token": "container-t0ken",
            "aws.ec2.metadata.service.endpoint": "http://127.0.0.1:9",
        ]))
        let chain = try #require(config.credentials as? S3CredentialsChain)
        #expect(chain.sources.map(\.sourceName) == ["environment", "container endpoint", "IMDSv2"])
        #expect(chain.refreshWindow == .seconds(300))
        #expect(config.description.contains("full URI http://127.0.0.1:9/creds"))
        #expect(config.description.contains("http://127.0.0.1:9)"))
        #expect(!config.description.contains("container-t0ken"))
    }

    @Test func withoutAnySourceTheFirstRequestNamesEachSource() async throws {
        let config = try StorageConfig(config: reader(["aws.ec2.metadata.disabled": "true"]))
        let error = try await #require(throws: S3Error.self) { try await config.credentials.credentials() }
        #expect(error.kind == .credentials)
        let text = error.description
        #expect(text.contains("[environment] AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set"))
        #expect(text.contains("[container endpoint] neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"))
        #expect(text.contains("[IMDSv2] disabled by AWS_EC2_METADATA_DISABLED=true"))
    }

    @Test func makesAClient() throws {
        let client = try StorageConfig(config: reader(credentials)).makeClient()
        #expect(client.configuration.endpoint == "http://127.0.0.1:18333")
        #expect(client.configuration.addressingStyle == .path)
    }
}
