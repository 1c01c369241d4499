public import AdrecsDatabase
import AdrecsDomain
import AdrecsPipeline
public import AdrecsRuntime
import AdrecsWire
import Foundation
public import LibPQ
public import Logging
public import ServiceLifecycle
import Synchronization
import ZeroMQ

/// The ingest stage as a `Service`: applies migrations, binds the PUSH socket to the models
/// stage, then claims queued ingest stages one at a time (woken by `LISTEN adrecs_runs`, and
/// polling every second), runs each with ``IngestJob`` while beating in the ledger, completes or
/// fails it, and tells the models stage.
///
/// On graceful shutdown it stops claiming and lets the current run finish; if the run is
/// cancelled (the grace period ran out) its stage is failed `abandoned: service shutting down`.
/// A failing run never stops the loop.
public final class IngestWorker: Service, Sendable {
    public let ledger: RunLedger
    public let job: IngestJob
    public let worker: String
    private let pool: PGPool
    private let schema: String
    private let listenInfo: PGConnectInfo
    private let messaging: IngestMessagingConfig
    private let heartbeatInterval: Duration
    private let pollInterval: Duration
    private let abandonAfter: Duration
    private let metrics: StageMetrics
    private let logger: Logger
    private let bound = Mutex<String?>(nil)

    /// - Parameters:
    ///   - listenInfo: the connection for `LISTEN adrecs_runs`.
    ///   - pollInterval: how often the ledger is polled when no notification arrives.
    ///   - abandonAfter: how long a run may go on after graceful shutdown began before the worker
    ///     cancels it (below the service group's 8 s, so the process exits within 10 s).
    ///   - worker: the name recorded in the ledger; default `ingest@<host>:<pid>`.
    public init(
        ledger: RunLedger, job: IngestJob, pool: PGPool, schema: String, listenInfo: PGConnectInfo,
        messaging: IngestMessagingConfig, heartbeatInterval: Duration, pollInterval: Duration = .seconds(1),
        abandonAfter: Duration = .seconds(4), metrics: StageMetrics, logger: Logger,
        worker: String? = nil
    ) {
        self.ledger = ledger
        self.job = job
        self.pool = pool
        self.schema = schema
        self.listenInfo = listenInfo
        self.messaging = messaging
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.abandonAfter = abandonAfter
        self.metrics = metrics
        self.logger = logger
        self.worker = worker ?? "ingest@\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The endpoint the PUSH socket is bound to (with the port chosen for `:*`), once running.
    public var boundEndpoint: String? { bound.withLock { $0 } }

    public func run() async throws {
        guard try await migrate() else { return }
        let context = try ZeroMQContext()
        let socket = try ZeroMQSocket(
            context: context, type: .push,
            options: ZeroMQSocketOptions(linger: .seconds(1), sendTimeout: messaging.sendTimeout))
        let endpoint = try socket.bind(messaging.modelsEndpoint)
        let sender = ZeroMQSender(socket, label: "adrecs.ingest.models")
        bound.withLock { $0 = endpoint }
        logger.info("Models endpoint bound", metadata: [LogKeys.endpoint: "\(endpoint)"])

        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let stopping = Atomic<Bool>(false)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen(wake) }
            group.addTask { await self.tick(wake) }
            await withGracefulShutdownHandler {
                wake.yield()
                for await _ in wakeups {
                    while !stopping.load(ordering: .acquiring), !Task.isCancelled, await self.processNext(sender: sender) {}
                    if stopping.load(ordering: .acquiring) { break }
                }
            } onGracefulShutdown: {
                stopping.store(true, ordering: .releasing)
                wake.finish()
            }
            group.cancelAll()
        }
        await sender.close()
        logger.info("Ingest worker stopped")
    }

    /// Applies the migrations, retrying every few seconds while PostgreSQL is unreachable;
    /// `false` when shutdown came first.
    private func migrate() async throws -> Bool {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await _ = Migrator.migrate(pool: pool, schema: schema, logger: logger)
                return true
            } catch let error as LedgerError {
                throw error
            } catch {
                logger.error("Migrations failed, retrying", metadata: [LogKeys.error: "\(error)"])
                try? await Task.sleep(for: .seconds(3))
            }
        }
        return false
    }

    /// Wakes the loop on each `adrecs_runs` notification (and listener resync).
    private func listen(_ wake: AsyncStream<Void>.Continuation) async {
        let listener = PGListener(listenInfo, channels: [RunLedger.runsChannel])
        do {
            for try await _ in listener { wake.yield() }
        } catch {
            if !Task.isCancelled { logger.warning("Run listener ended, polling only", metadata: [LogKeys.error: "\(error)"]) }
        }
    }

    /// Wakes the loop every poll interval.
    private func tick(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: pollInterval)
            wake.yield()
        }
    }

    /// Claims and processes one run; `false` when nothing was claimable (or the ledger is unreachable).
    private func processNext(sender: ZeroMQSender) async -> Bool {
        let claim: RunClaim?
        do {
            claim = try await ledger.claimNextIngest(worker: worker)
        } catch {
            if !Task.isCancelled { logger.warning("Claiming failed", metadata: [LogKeys.error: "\(error)"]) }
            return false
        }
        guard let claim else { return false }
        await process(claim, sender: sender)
        return true
    }

    /// Runs one claimed ingest stage to its end in the ledger.
    func process(_ claim: RunClaim, sender: ZeroMQSender) async {
        var logger = self.logger
        logger[metadataKey: LogKeys.runID] = "\(claim.runID)"
        logger[metadataKey: LogKeys.date] = "\(claim.date)"
        logger[metadataKey: LogKeys.stage] = "ingest"
        logger.info("Ingest started")
        let clock = ContinuousClock()
        let start = clock.now
        let result: IngestResult
        do {
            result = try await StageWork.run(
                ledger: ledger, runID: claim.runID, stage: .ingest, heartbeat: heartbeatInterval, abandonAfter: abandonAfter,
                logger: logger, failure: IngestError.self
            ) { [job] in
                try await job.run(runID: claim.runID, date: claim.date)
            }
        } catch {
            let described = error is CancellationError ? error : IngestError.from(error)
            let text = FailureDescription.record(described, elapsed: clock.now - start, metrics: metrics, logger: logger)
            await ledger.recordFailure(runID: claim.runID, stage: .ingest, error: text, logger: logger)
            return
        }
        let statistics = result.statistics
        metrics.recordRows(statistics.productViews.linesRead + statistics.adsViews.linesRead, .read)
        metrics.recordRows(statistics.productViews.rowsKept + statistics.adsViews.rowsKept, .kept)
        metrics.recordRows(result.quarantined.values.reduce(0, +), .quarantined)
        metrics.recordBytes(result.bytesRead, .read)
        metrics.recordBytes(result.bytesWritten, .written)
        do {
            try await ledger.completeStage(
                runID: claim.runID, stage: .ingest, counts: result.counts, s3Keys: result.s3Keys, next: .models)
        } catch {
            metrics.recordFailure(.database)
            metrics.recordRun(.failed, duration: clock.now - start)
            logger.error("Completing the stage failed", metadata: [LogKeys.error: "\(error)"])
            await ledger.recordFailure(runID: claim.runID, stage: .ingest, error: "completing the stage failed: \(error)", logger: logger)
            return
        }
        metrics.recordRun(.succeeded, duration: clock.now - start)
        logger.info("Ingest succeeded", metadata: [
            LogKeys.rows: "\(statistics.productViews.rowsKept + statistics.adsViews.rowsKept)",
            LogKeys.durationSeconds: "\((clock.now - start).components.seconds)",
        ])
        do {
            try await sender.send(WireCodec.encode(result.message))
        } catch {
            metrics.recordFailure(.messaging)
            let seconds = messaging.sendTimeout.seconds
            let cause = error.isTimeout
                ? "no models worker took the message within \(seconds.formatted(.number.precision(.fractionLength(0...3)))) s"
                : "sending to the models stage failed: \(error)"
            logger.error("No models worker took the message", metadata: [LogKeys.error: "\(cause)"])
            await ledger.recordFailure(runID: claim.runID, stage: .models, error: cause, logger: logger)
        }
    }
}
