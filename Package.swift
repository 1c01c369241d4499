// swift-tools-version: 6.1
import PackageDescription

/// Strict concurrency is the Swift 6 default; warnings are checked by `scripts/test.sh`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Products of the package's dependencies, by their short names.
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let serviceLifecycleTestKit = Target.Dependency.product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")

/// A library under `shared/<name>`.
func shared(_ name: String, _ dependencies: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: dependencies, path: "shared/\(name)", swiftSettings: swiftSettings)
}

/// A service: library `<Name>Service` in `services/<dir>/Service`, executable `adrecs-<dir>` in `services/<dir>/Main`.
func service(_ dir: String, _ name: String, _ dependencies: [Target.Dependency], main: [Target.Dependency] = []) -> [Target] {
    [
        .target(
            name: "\(name)Service",
            dependencies: dependencies + ["AdrecsRuntime", "AdrecsHTTP", serviceLifecycle, hummingbird, prometheus],
            path: "services/\(dir)/Service",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "adrecs-\(dir)",
            dependencies: [.target(name: "\(name)Service"), "AdrecsRuntime", "AdrecsHTTP", argumentParser] + main,
            path: "services/\(dir)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

/// A test target in `Tests/<name>`.
func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", swiftSettings: swiftSettings)
}

let package = Package(
    name: "adrecs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "adrecs-ingest", targets: ["adrecs-ingest"]),
        .executable(name: "adrecs-models", targets: ["adrecs-models"]),
        .executable(name: "adrecs-writer", targets: ["adrecs-writer"]),
        .executable(name: "adrecs-api", targets: ["adrecs-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // shared: pure libraries and runtime plumbing
        shared("AdrecsDomain"),
        shared("AdrecsWire", ["AdrecsDomain"]),
        shared("AdrecsConcurrency"),
        .target(name: "CBuildInfo", path: "shared/CBuildInfo"),
        shared("AdrecsRuntime", ["CBuildInfo", configuration, logging, metrics, serviceLifecycle]),
        shared("AdrecsHTTP", ["AdrecsRuntime", hummingbird, prometheus, metrics, logging, configuration, serviceLifecycle]),

        // shared: C libraries, each behind one thin wrapper
        .systemLibrary(name: "CZeroMQ", path: "shared/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", path: "shared/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZstd", path: "shared/CZstd", providers: [.apt(["libzstd-dev"])]),
        shared("ZeroMQ", ["CZeroMQ", "AdrecsConcurrency"]),
        shared("LibPQ", ["CLibPQ", "AdrecsConcurrency", serviceLifecycle]),
        shared("Curl", ["CCurl", "AdrecsConcurrency"]),
        shared("Zstd", ["CZstd"]),
        shared("S3Store", ["Curl", "AdrecsConcurrency"]),

        // shared: the pipeline's database and object-store layouts
        shared("AdrecsDatabase", ["LibPQ", "AdrecsConcurrency", "AdrecsDomain", "AdrecsRuntime", configuration, logging]),
        shared("AdrecsStorage", ["S3Store", "AdrecsDomain", "AdrecsRuntime", configuration]),

        // shared: plumbing of the stage services (ingest, models, writer)
        shared("AdrecsPipeline", ["AdrecsDatabase", "AdrecsRuntime", "AdrecsWire", "AdrecsConcurrency", "LibPQ", "S3Store", "ZeroMQ", configuration, logging, serviceLifecycle]),
    ]
    + service("ingest", "Ingest", ["AdrecsPipeline", "AdrecsDomain", "AdrecsWire", "AdrecsDatabase", "AdrecsStorage", "ZeroMQ", "LibPQ", "S3Store", "Zstd"], main: ["AdrecsDomain"])
    + service("models", "Models", ["AdrecsPipeline", "AdrecsDomain", "AdrecsWire", "AdrecsDatabase", "AdrecsStorage", "ZeroMQ", "LibPQ", "S3Store", "AdrecsConcurrency", "Zstd"])
    + service("writer", "Writer", ["AdrecsPipeline", "AdrecsDomain", "AdrecsWire", "AdrecsDatabase", "AdrecsStorage", "ZeroMQ", "LibPQ", "S3Store", "AdrecsConcurrency"])
    + service("api", "API", ["AdrecsDomain", "AdrecsDatabase", "LibPQ"])
    + [
        .executableTarget(name: "S3StreamBench", dependencies: ["S3Store", "AdrecsConcurrency"], path: "bench/S3StreamBench", swiftSettings: swiftSettings),

        .target(name: "AdrecsTestSupport", dependencies: ["AdrecsDomain", "AdrecsConcurrency", configuration], path: "Tests/AdrecsTestSupport", swiftSettings: swiftSettings),
        .target(name: "StageTestSupport", dependencies: ["AdrecsTestSupport", "AdrecsDatabase", "AdrecsDomain", "AdrecsPipeline", "AdrecsRuntime", "AdrecsStorage", "S3Store", "LibPQ",
                                                  configuration, logging, serviceLifecycle],
                path: "Tests/StageTestSupport", swiftSettings: swiftSettings),
        tests("AdrecsDomainTests", ["AdrecsDomain"]),
        tests("AdrecsConcurrencyTests", ["AdrecsConcurrency", "AdrecsTestSupport"]),
        tests("AdrecsWireTests", ["AdrecsWire", "AdrecsDomain"]),
        tests("AdrecsPipelineTests", ["AdrecsPipeline", "AdrecsDatabase", "AdrecsDomain", "AdrecsRuntime", "AdrecsTestSupport", "StageTestSupport", "LibPQ",
                                      logging, prometheus, serviceLifecycle]),
        tests("AdrecsRuntimeTests", ["AdrecsRuntime", configuration, logging, prometheus]),
        tests("AdrecsHTTPTests", ["AdrecsHTTP", "AdrecsRuntime", hummingbird, hummingbirdTesting, prometheus]),
        tests("ZeroMQTests", ["ZeroMQ", serviceLifecycle, serviceLifecycleTestKit]),
        tests("LibPQTests", ["LibPQ", "AdrecsTestSupport", logging, serviceLifecycle]),
        tests("ZstdTests", ["Zstd"]),
        tests("S3StoreTests", ["S3Store", "Curl", "AdrecsConcurrency", "AdrecsTestSupport"]),
        tests("AdrecsDatabaseTests", ["AdrecsDatabase", "LibPQ", "AdrecsDomain", "AdrecsTestSupport", configuration]),
        tests("AdrecsStorageTests", ["AdrecsStorage", "S3Store", configuration]),
        tests("IngestServiceTests", ["IngestService", "AdrecsPipeline", "AdrecsDatabase", "AdrecsStorage", "AdrecsDomain", "AdrecsWire", "ZeroMQ", "S3Store", "LibPQ", "Zstd", "AdrecsTestSupport", "StageTestSupport",
                                     configuration, hummingbird, hummingbirdTesting, logging, prometheus, serviceLifecycle]),
        tests("ModelsServiceTests", ["ModelsService", "AdrecsDomain", "AdrecsDatabase", "AdrecsStorage", "AdrecsWire", "AdrecsRuntime",
                                     "ZeroMQ", "S3Store", "LibPQ", "Zstd", "AdrecsTestSupport", "StageTestSupport", configuration, logging, serviceLifecycle]),
        tests("WriterServiceTests", ["WriterService", "AdrecsDatabase", "AdrecsStorage", "AdrecsDomain", "AdrecsWire", "AdrecsRuntime",
                                     "ZeroMQ", "S3Store", "LibPQ", "AdrecsTestSupport", "StageTestSupport", configuration, logging, prometheus]),
        tests("ServiceTests", ["IngestService", "ModelsService", "WriterService", "APIService", "AdrecsRuntime", "AdrecsTestSupport",
                               configuration, hummingbird, hummingbirdTesting, logging, prometheus]),
        tests("APIServiceTests", ["APIService", "AdrecsHTTP", "AdrecsRuntime", "AdrecsDatabase", "AdrecsDomain", "LibPQ", "AdrecsTestSupport", configuration, hummingbird,
                                 hummingbirdTesting, logging, prometheus]),
        tests("IntegrationTests", ["AdrecsTestSupport", "AdrecsDatabase", "AdrecsStorage", "AdrecsDomain", "AdrecsConcurrency", "LibPQ", "S3Store", "Curl", configuration, logging]),
    ]
)
