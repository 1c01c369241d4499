import AdrecsConcurrency
import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Curl
import Foundation
import LibPQ
import Logging
import S3Store

/// A private copy of the nightly chain for one test: its own schema, bucket and ports, and the
/// real `adrecs-ingest`, `adrecs-models`, `adrecs-writer` and `adrecs-api` executables of the debug build.
actor Chain {
    enum Service: String, CaseIterable, Sendable { case ingest, models, writer, api }

    struct KickRefused: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "kick refused with \(status): \(body)" }
    }

    let name: String
    let schema: String
    let bucket: String
    let databaseURL: String
    let s3: S3Client
    let pool: PGPool
    let ledger: RunLedger
    let reader: DayReader
    private let baseEnvironment: [String: String]
    private let opsPorts: [Service: Int]
    private let folder: URL
    private var processes: [Service: SpawnedProcess] = [:]
    /// Further processes of a service (a second replica), by name.
    private var extras: [String: SpawnedProcess] = [:]

    /// - Parameter databaseURL: another PostgreSQL server than `DB_URL`'s (a test's private cluster).
    init(_ name: String, databaseURL: String? = nil) async throws {
        self.name = name
        schema = TestEnvironment.uniqueName("it")
        bucket = schema.replacingOccurrences(of: "_", with: "-")
        self.databaseURL = try databaseURL ?? TestEnvironment.require("DB_URL")
        let endpoint = try TestEnvironment.require("S3_ENDPOINT")
        let region = try TestEnvironment.require("S3_REGION")
        let accessKey = try TestEnvironment.require("AWS_ACCESS_KEY_ID")
        let secret = try TestEnvironment.require("AWS_SECRET_ACCESS_KEY")
        var ports: [Service: Int] = [:]
        for service in Service.allCases { ports[service] = try FreePort.next() }
        opsPorts = ports
        baseEnvironment = [
            "LOG_LEVEL": "info",
            "DB_URL": self.databaseURL, "DB_SCHEMA": schema,
            "S3_ENDPOINT": endpoint, "S3_REGION": region, "S3_BUCKET": bucket,
            "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret,
            "MESSAGING_MODELS_ENDPOINT": "tcp://127.0.0.1:\(try FreePort.next())",
            "MESSAGING_WRITER_ENDPOINT": "tcp://127.0.0.1:\(try FreePort.next())",
            // Generous: on a loaded machine models may take the baseline's message only after several seconds.
            "MESSAGING_SEND_TIMEOUT_MS": "10000",
            "LEDGER_HEARTBEAT_SECONDS": "1",
            "LEDGER_STALE_SECONDS": "4",
            "LEDGER_REDELIVER_SECONDS": "2",
        ]
        folder = Repository.root.appendingPathComponent(".local/it/\(schema)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        s3 = try S3Client(configuration: S3Configuration(
            endpoint: endpoint, region: region,
            credentials: S3StaticCredentialsProvider(S3Credentials(accessKeyID: accessKey, secretAccessKey: secret))
        ))
        try await s3.createBucket(bucket)
        let database = DatabaseConfig(url: self.databaseURL, schema: schema, poolSize: 2)
        pool = database.makePool(applicationName: "adrecs-it")
        let logger = Logger(label: "adrecs.it")
        try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
        ledger = RunLedger(pool: pool, staleAfter: .seconds(4), logger: logger)
        reader = DayReader(pool: pool)
    }

    /// The environment `service` runs with; `overrides` replace or add keys.
    func environment(_ service: Service, _ overrides: [String: String] = [:]) -> [String: String] {
        var environment = baseEnvironment
        environment[service == .api ? "PORT" : "OPS_PORT"] = String(opsPorts[service]!)
        environment.merge(overrides) { $1 }
        return environment
    }

    /// Starts `service` and waits until it answers `/health`, or for the api with `ready`, `/ready`
    /// (its snapshot loaded, which needs a committed day).
    func start(_ service: Service, _ overrides: [String: String] = [:], ready: Bool = true) async throws {
        let binary = Repository.debugBinaries.appendingPathComponent("adrecs-\(service.rawValue)").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestSetupError("\(binary) is missing: build with `swift build` (scripts/test.sh does)")
        }
        let process = try SpawnedProcess(
            [binary, "serve"], environment: environment(service, overrides),
            logPath: folder.appendingPathComponent("\(service.rawValue).log").path
        )
        processes[service] = process
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? await http(service, service == .api && ready ? "/ready" : "/health"), response.status == 200 { return }
            if let status = await process.waitForExit(timeout: .zero) {
                throw TestSetupError("\(service) exited with \(status):\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("\(service) did not answer /health within 30 s:\n\(process.logTail())")
    }

    /// Starts another process of the stage `service` as `name` (a replica beside the first), on an
    /// ops port of its own, and waits until it answers `/health`.
    func startReplica(_ service: Service, name: String, _ overrides: [String: String] = [:]) async throws -> SpawnedProcess {
        let binary = Repository.debugBinaries.appendingPathComponent("adrecs-\(service.rawValue)").path
        let port = try FreePort.next()
        let process = try SpawnedProcess(
            [binary, "serve"], environment: environment(service, overrides.merging(["OPS_PORT": String(port)]) { $1 }),
            logPath: folder.appendingPathComponent("\(name).log").path
        )
        extras[name] = process
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let url = "http://127.0.0.1:\(port)/health"
            if let response = try? await BlockingExecutor.shared.run({ try CurlEasy().exchange(url, timeout: .seconds(2)) }),
                response.status == 200
            {
                return process
            }
            if let status = await process.waitForExit(timeout: .zero) {
                throw TestSetupError("\(name) exited with \(status):\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSetupError("\(name) did not answer /health within 30 s:\n\(process.logTail())")
    }

    /// What a binding stage logs once its endpoint is bound (its `/health` may answer before).
    static let boundMessages: [Service: String] = [.writer: "Stage endpoints ready", .ingest: "Stage endpoints ready"]

    /// Starts the three stages: the binding ones (writer, ingest) first, each until its endpoint is
    /// bound, then models, which connects to both.
    func startAll() async throws {
        for service in [Service.writer, .ingest, .models] {
            try await start(service)
            if let message = Self.boundMessages[service] { try await waitForLog(service, message) }
        }
    }

    /// Waits until `service`'s log contains `text`.
    func waitForLog(_ service: Service, _ text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !log(service).contains(text) {
            guard ContinuousClock.now < deadline else {
                throw TestSetupError("\(service) did not log '\(text)' within \(timeout):\n\(processes[service]?.logTail() ?? "")")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The last lines of each running service's log, for a failure message.
    func logTails(lines: Int = 15) -> String {
        processes.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "--- \($0.key.rawValue).log\n\($0.value.logTail(lines: lines))" }
            .joined(separator: "\n")
    }

    func process(_ service: Service) -> SpawnedProcess? { processes[service] }

    /// Sends `signal` and returns the exit status, or nil if it did not exit within `timeout`.
    func stop(_ service: Service, signal: Int32 = SIGTERM, timeout: Duration = .seconds(10)) async -> Int32? {
        guard let process = processes.removeValue(forKey: service) else { return nil }
        process.signal(signal)
        let status = await process.waitForExit(timeout: timeout)
        if status == nil {
            process.signal(SIGKILL)
            _ = await process.waitForExit(timeout: .seconds(5))
        }
        return status
    }

    func log(_ service: Service) -> String {
        (try? String(contentsOf: folder.appendingPathComponent("\(service.rawValue).log"), encoding: .utf8)) ?? ""
    }

    /// One HTTP exchange with a service's port (the ops port of a stage, the api's public port).
    func http(_ service: Service, _ path: String, method: CurlHTTPMethod = .get, body: String = "") async throws -> CurlHTTPResponse {
        let url = "http://127.0.0.1:\(opsPorts[service]!)\(path)"
        let bytes = Array(body.utf8)
        return try await BlockingExecutor.shared.run {
            try CurlEasy().exchange(url, method: method, body: bytes, headers: ["Content-Type: application/json"], timeout: .seconds(10))
        }
    }

    /// Runs `adrecs-ingest <arguments>` (a one-shot subcommand such as `kick` or `retract`) with
    /// ingest's environment; returns its exit status and output.
    func ingestTool(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let binary = Repository.debugBinaries.appendingPathComponent("adrecs-ingest").path
        let logPath = folder.appendingPathComponent("ingest-\(arguments.first ?? "tool")-\(UInt32.random(in: .min ... .max)).log").path
        let status = try await SpawnedProcess.run([binary] + arguments, environment: environment(.ingest), logPath: logPath)
        return (status, (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
    }

    /// Uploads a course folder's three logs as the raw input (course layout).
    func uploadRaw(_ folder: String, transform: (String, [UInt8]) -> [UInt8] = { $1 }) async throws {
        for file in ["advertiser_ids", "product_views", "ads_views"] {
            let bytes = transform(file, try CourseData.bytes(folder, file))
            _ = try await s3.putObject(bucket: bucket, key: "raw/\(file)", bytes: bytes, contentType: "text/csv")
        }
    }

    /// Kicks a run of `date` (with `force`) through ingest's control endpoint and returns its run id.
    func kick(_ date: Day, force: Bool = false) async throws -> String {
        let response = try await http(.ingest, "/runs", method: .post, body: #"{"date":"\#(date)","force":\#(force)}"#)
        guard response.status == 202 else { throw KickRefused(status: response.status, body: response.text) }
        let record = try JSONDecoder().decode(RunRecord.self, from: Data(response.body))
        return record.runID
    }

    /// Kicks `date`, retrying while an earlier run of it still counts as in progress.
    func kickWhenAllowed(_ date: Day, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                return try await kick(date)
            } catch let refused as KickRefused where refused.status == 409 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Polls the ledger until run `id` succeeded or failed.
    func waitForRun(_ id: String, timeout: Duration = .seconds(60)) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let run = try await ledger.run(id: id), run.state == .succeeded || run.state == .failed { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSetupError("run \(id) did not finish within \(timeout); ledger: \(String(describing: try? await ledger.run(id: id)))")
    }

    /// Waits until `stage` of run `id` reaches `state`.
    func waitForStage(_ id: String, _ stage: Stage, _ state: StageState, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let run = try await ledger.run(id: id), run.stages.first(where: { $0.stage == stage })?.state == state { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("run \(id): \(stage) did not reach \(state) within \(timeout)")
    }

    /// The committed recommendations of `date`, as rows of expected.csv.
    func recommendations(_ date: Day) async throws -> [Recommendation] {
        try await reader.recommendations(date: date.description)
    }

    /// Stops every service, drops the schema and empties and deletes the bucket.
    func tearDown() async {
        for service in Array(processes.keys) { _ = await stop(service) }
        for process in extras.values {
            process.signal(SIGKILL)
            _ = await process.waitForExit(timeout: .seconds(5))
        }
        _ = try? await pool.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        if let keys = try? await s3.listObjects(bucket: bucket, prefix: "").collect() {
            for object in keys { try? await s3.deleteObject(bucket: bucket, key: object.key) }
        }
        try? await s3.deleteBucket(bucket)
        await pool.close()
    }
}
