import AdrecsRuntime
import Configuration
import Logging
import Testing

@Suite struct SettingsTests {
    static let catalog = SettingsCatalog(
        LoggingConfig.settings,
        [
            Setting("DB_URL", default: "postgresql://adrecs@127.0.0.1:55432/adrecs", "Where the database is.", secrecy: .credentialsInURL),
            Setting("AWS_SECRET_ACCESS_KEY", default: nil, "The secret.", secrecy: .secret),
            Setting("OPS_PORT", default: "9101", "The port."),
        ])

    @Test func configKeyIsTheDottedName() {
        #expect(Setting("DB_POOL_SIZE", default: "4", "").configKey == "db.pool.size")
        #expect(Setting("PORT", default: "8080", "").configKey == "port")
    }

    @Test(arguments: [
        ("postgresql://adrecs:s3cret@db.example:5432/adrecs?sslmode=require",
         "postgresql://adrecs:<redacted>@db.example:5432/adrecs?sslmode=require"),
        ("postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable", "postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable"),
        ("postgresql://u@h/db?password=pw&sslmode=verify-full", "postgresql://u@h/db?password=<redacted>&sslmode=verify-full"),
        ("host=db user=adrecs password=pw dbname=adrecs", "host=db user=adrecs password=<redacted> dbname=adrecs"),
        ("postgresql://u:p:q@h/db", "postgresql://u:<redacted>@h/db"),
    ])
    func redactsPasswordsInConnectionStrings(raw: String, shown: String) {
        #expect(Setting.redactCredentials(in: raw) == shown)
    }

    @Test func effectiveValuesUseTheEnvironmentThenTheDefaultAndRedactSecrets() {
        let reader = ConfigReader(provider: InMemoryProvider(values: [
            "db.url": .init(.string("postgresql://adrecs:hunter2@db:5432/adrecs"), isSecret: true),
            "aws.secret.access.key": .init(.string("wJalrXUtnFEMI/K7MDENG"), isSecret: true),
            "log.level": "debug",
        ]))
        let values = Dictionary(uniqueKeysWithValues: Self.catalog.effectiveValues(reader).map { ($0.name, $0.value) })
        #expect(values["LOG_LEVEL"] == "debug")
        #expect(values["LOG_FORMAT"] == "text")
        #expect(values["DB_URL"] == "postgresql://adrecs:<redacted>@db:5432/adrecs")
        #expect(values["AWS_SECRET_ACCESS_KEY"] == Setting.redactedMark)
        #expect(values["OPS_PORT"] == "9101")

        let unset = Dictionary(uniqueKeysWithValues: Self.catalog.effectiveValues(ConfigReader(provider: InMemoryProvider(values: [:]))).map { ($0.name, $0.value) })
        #expect(unset["AWS_SECRET_ACCESS_KEY"] == .some(nil))
        guard case .dictionary(let metadata) = Self.catalog.effectiveMetadata(reader) else {
            Issue.record("not a dictionary")
            return
        }
        #expect(metadata.count == Self.catalog.settings.count)
        #expect(!"\(metadata)".contains("hunter2"))
        #expect(!"\(metadata)".contains("wJalrXUtnFEMI"))
    }

    @Test func helpTextListsEachKeyWithItsDefaultAndMarksSecrets() throws {
        let lines = Self.catalog.helpText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("ENVIRONMENT") == true)
        #expect(lines.contains("  LOG_LEVEL=info"))
        #expect(lines.contains("  DB_URL=postgresql://adrecs@127.0.0.1:55432/adrecs"))
        let secret = try #require(lines.firstIndex(of: "  AWS_SECRET_ACCESS_KEY"))
        try #require(secret + 1 < lines.count)
        #expect(lines[secret + 1] == "      Secret. The secret.")
        // Wrapped below the argument parser's 80 columns, so it keeps the layout.
        #expect(lines.allSatisfy { $0.count < 80 })
        let keyLines = lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
        #expect(keyLines.count == Self.catalog.settings.count)
    }
}

@Suite struct BuildInfoTests {
    @Test func buildInfoIsStampedOrTheDevelopmentDefaults() {
        let build = BuildInfo.current
        #expect(!build.version.isEmpty)
        // scripts/build-release.sh stamps `git rev-parse HEAD`, with `-dirty` for uncommitted changes.
        let sha = build.commit.hasSuffix("-dirty") ? String(build.commit.dropLast(6)) : build.commit
        #expect(build.commit == "unknown" || (sha.count == 40 && sha.allSatisfy(\.isHexDigit)))
        #expect(build.description == "\(build.version) (commit \(build.commit))")
    }
}
