// swift-tools-version: 6.1
import PackageDescription

/// Strict concurrency is the Swift 6 default; warnings are checked by `scripts/test.sh`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

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
        // MARK: shared: pure libraries
        .target(name: "AdrecsDomain", path: "shared/AdrecsDomain", swiftSettings: swiftSettings),
        .target(name: "AdrecsWire", dependencies: ["AdrecsDomain"], path: "shared/AdrecsWire", swiftSettings: swiftSettings),
        .target(
            name: "AdrecsRuntime",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "shared/AdrecsRuntime",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AdrecsHTTP",
            dependencies: [
                "AdrecsRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "shared/AdrecsHTTP",
            swiftSettings: swiftSettings
        ),
        .target(name: "AdrecsConcurrency", path: "shared/AdrecsConcurrency", swiftSettings: swiftSettings),

        // MARK: shared: C libraries, each behind one thin wrapper
        .systemLibrary(name: "CZeroMQ", path: "shared/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", path: "shared/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ", "AdrecsConcurrency"], path: "shared/ZeroMQ", swiftSettings: swiftSettings),
        .target(name: "LibPQ", dependencies: ["CLibPQ", "AdrecsConcurrency"], path: "shared/LibPQ", swiftSettings: swiftSettings),
        .target(name: "Curl", dependencies: ["CCurl", "AdrecsConcurrency"], path: "shared/Curl", swiftSettings: swiftSettings),
        .target(name: "S3Store", dependencies: ["Curl", "AdrecsConcurrency"], path: "shared/S3Store", swiftSettings: swiftSettings),
        .executableTarget(name: "S3StreamBench", dependencies: ["S3Store"], path: "bench/S3StreamBench", swiftSettings: swiftSettings),

        // MARK: services: a library each, plus a thin @main executable
        .target(
            name: "IngestService",
            dependencies: ["AdrecsDomain", "AdrecsWire", "AdrecsRuntime", "S3Store", "ZeroMQ", "LibPQ",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           "AdrecsHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "services/ingest/Service",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "adrecs-ingest",
            dependencies: ["IngestService", "AdrecsRuntime", "AdrecsHTTP",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "services/ingest/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ModelsService",
            dependencies: ["AdrecsDomain", "AdrecsWire", "AdrecsRuntime", "S3Store", "ZeroMQ",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           "AdrecsHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "services/models/Service",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "adrecs-models",
            dependencies: ["ModelsService", "AdrecsRuntime", "AdrecsHTTP",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "services/models/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "WriterService",
            dependencies: ["AdrecsDomain", "AdrecsWire", "AdrecsRuntime", "S3Store", "ZeroMQ", "LibPQ",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           "AdrecsHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "services/writer/Service",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "adrecs-writer",
            dependencies: ["WriterService", "AdrecsRuntime", "AdrecsHTTP",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "services/writer/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIService",
            dependencies: ["AdrecsDomain", "AdrecsRuntime", "LibPQ",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           "AdrecsHTTP", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "services/api/Service",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "adrecs-api",
            dependencies: ["APIService", "AdrecsRuntime", "AdrecsHTTP",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "services/api/Main",
            swiftSettings: swiftSettings
        ),

        // MARK: tests
        .testTarget(name: "AdrecsDomainTests", dependencies: ["AdrecsDomain"], path: "Tests/AdrecsDomainTests", swiftSettings: swiftSettings),
        .testTarget(name: "AdrecsWireTests", dependencies: ["AdrecsWire"], path: "Tests/AdrecsWireTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "AdrecsRuntimeTests",
            dependencies: ["AdrecsRuntime",
                           .product(name: "Configuration", package: "swift-configuration"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "Tests/AdrecsRuntimeTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdrecsHTTPTests",
            dependencies: ["AdrecsHTTP", "AdrecsRuntime",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "Tests/AdrecsHTTPTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceTests",
            dependencies: ["IngestService", "ModelsService", "WriterService", "APIService", "AdrecsRuntime",
                           .product(name: "Configuration", package: "swift-configuration"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            path: "Tests/ServiceTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ZeroMQTests",
            dependencies: ["ZeroMQ",
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")],
            path: "Tests/ZeroMQTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LibPQTests", dependencies: ["LibPQ"], path: "Tests/LibPQTests", swiftSettings: swiftSettings),
        .testTarget(name: "S3StoreTests", dependencies: ["S3Store", "Curl"], path: "Tests/S3StoreTests", swiftSettings: swiftSettings),
        .testTarget(name: "ModelsServiceTests", dependencies: ["ModelsService", "AdrecsDomain"], path: "Tests/ModelsServiceTests", swiftSettings: swiftSettings),
    ]
)
