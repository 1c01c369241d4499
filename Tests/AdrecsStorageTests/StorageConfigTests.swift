import AdrecsRuntime
import AdrecsStorage
import S3Store
import Testing

@Suite struct StorageConfigTests {
    private let credentials = ["aws.access.key.id": "AKID", "aws.secret.access.key": "s3cr3t-value"]

    @Test func defaultsToTheLocalServerWithPathAddressing() throws {
        let config = try StorageConfig(config: reader(credentials))
        #expect(config.endpoint == "http://127.0.0.1:18333")
        #expect(config.region == "us-east-1")
        #expect(config.bucket == "adrecs")
        #expect(config.addressing == .path)
        #expect(config.credentials == S3Credentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t-value"))
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

    @Test func rejectsAnUnknownAddressingStyle() {
        #expect(throws: ConfigError(key: "s3.addressing", message: "expected 'path' or 'virtual', got 'dns'")) {
            try StorageConfig(config: reader(credentials.merging(["s3.addressing": "dns"]) { $1 }))
        }
    }

    @Test func missingCredentialsNameTheVariable() {
        let noKey = #expect(throws: ConfigError.self) { try StorageConfig(config: reader([:])) }
        #expect(noKey?.environmentName == "AWS_ACCESS_KEY_ID")
        let noSecret = #expect(throws: ConfigError.self) { try StorageConfig(config: reader(["aws.access.key.id": "AKID"])) }
        #expect(noSecret?.environmentName == "AWS_SECRET_ACCESS_KEY")
        #expect(noSecret?.description.contains("missing") == true)
    }

    @Test func readsTheSessionTokenAndNeverPrintsSecrets() throws {
        let config = try StorageConfig(config: reader(credentials.merging(["aws.session.token": "tok-123"]) { $1 }))
        #expect(config.credentials.sessionToken == "tok-123")
        #expect(!config.description.contains("s3cr3t-value"))
        #expect(!config.description.contains("tok-123"))
        #expect(config.description.contains("AKID"))
    }

    @Test func makesAClient() throws {
        let client = try StorageConfig(config: reader(credentials)).makeClient()
        #expect(client.configuration.endpoint == "http://127.0.0.1:18333")
        #expect(client.configuration.addressingStyle == .path)
    }
}
