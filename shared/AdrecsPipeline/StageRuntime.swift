import AdrecsConcurrency
import AdrecsDatabase
import AdrecsWire
public import AdrecsRuntime
public import Configuration
import Foundation
public import LibPQ
public import Logging
public import ServiceLifecycle
import Synchronization
import ZeroMQ

/// ``StageRuntime``'s settings, from `LEDGER_*` keys.
public struct StageSettings: Sendable, Equatable {
    /// How often a running stage beats in the ledger (`LEDGER_HEARTBEAT_SECONDS`, default 2).
    public var heartbeat: Duration
    /// A running stage without a heartbeat for this long is presumed lost and queued again; a
    /// kick replaces a run without any activity for this long (`LEDGER_STALE_SECONDS`, default 30).
    public var staleAfter: Duration
    /// Claims of one stage before its run fails (`LEDGER_MAX_ATTEMPTS`, default 3).
    public var maxAttempts: Int
    /// How long a handed-over stage waits for its message before a sweep claims it from the
    /// ledger (`LEDGER_REDELIVER_SECONDS`, default 10).
    public var redeliverAfter: Duration
    /// How often the runtime sweeps the ledger (`LEDGER_SWEEP_SECONDS`, default 1).
    public var sweepInterval: Duration
    /// How long the current work may go on after graceful shutdown began (4 s: below the
    /// service group's 8 s, so the process exits within 10 s).
    public var abandonAfter: Duration

    public init(
        heartbeat: Duration = .seconds(2), staleAfter: Duration = .seconds(30), maxAttempts: Int = 3,
        redeliverAfter: Duration = .seconds(10), sweepInterval: Duration = .seconds(1), abandonAfter: Duration = .seconds(4)
    ) {
        self.heartbeat = heartbeat
        self.staleAfter = staleAfter
        self.maxAttempts = maxAttempts
        self.redeliverAfter = redeliverAfter
        self.sweepInterval = sweepInterval
        self.abandonAfter = abandonAfter
    }

    /// The `LEDGER_*` keys, for the stage services' settings catalogs.
    public static let settings: [Setting] = {
        let defaults = StageSettings()
        return [
            Setting("LEDGER_HEARTBEAT_SECONDS", default: "\(defaults.heartbeat.components.seconds)", "How often a running stage beats in the ledger."),
            Setting("LEDGER_STALE_SECONDS", default: "\(defaults.staleAfter.components.seconds)",
                    "A running stage without a heartbeat this long is presumed lost and queued again; a kick replaces a run idle this long."),
            Setting("LEDGER_MAX_ATTEMPTS", default: "\(defaults.maxAttempts)", "Claims of one stage before its run fails with the last cause."),
            Setting("LEDGER_REDELIVER_SECONDS", default: "\(defaults.redeliverAfter.components.seconds)",
                    "A handed-over stage not claimed through its message within this is claimed from the ledger."),
            Setting("LEDGER_SWEEP_SECONDS", default: "\(defaults.sweepInterval.components.seconds)",
                    "How often the ledger is swept: new runs, lost workers, redeliveries."),
        ]
    }()

    /// Reads `ledger.heartbeat.seconds`, `ledger.stale.seconds`, `ledger.max.attempts`,
    /// `ledger.redeliver.seconds` and `ledger.sweep.seconds`.
    public init(config: ConfigReader) throws(ConfigError) {
        self.init(
            heartbeat: .seconds(try ConfigValues.positiveInt(config, "ledger.heartbeat.seconds", default: 2)),
            staleAfter: .seconds(try ConfigValues.positiveInt(config, "ledger.stale.seconds", default: 30)),
            maxAttempts: try ConfigValues.positiveInt(config, "ledger.max.attempts", default: 3),
            redeliverAfter: .seconds(try ConfigValues.positiveInt(config, "ledger.redeliver.seconds", default: 10)),
            sweepInterval: .seconds(try ConfigValues.positiveInt(config, "ledger.sweep.seconds", default: 1)))
        guard heartbeat < staleAfter else {
            throw ConfigError(key: "ledger.stale.seconds", message: "must be longer than ledger.heartbeat.seconds")
        }
    }
}

/// A ZeroMQ endpoint and whether this stage binds it (else connects).
public struct StageSocket: Sendable, Equatable {
    public var endpoint: String
    public var binds: Bool

    public init(endpoint: String, binds: Bool) {
        self.endpoint = endpoint
        self.binds = binds
    }
}

/// How a stage hears of work and hands it over.
public struct StageMessaging: Sendable {
    /// The PULL socket the previous stage's messages arrive on; `nil` for ingest.
    public var inbox: StageSocket?
    /// The PUSH socket to the next stage; `nil` for the writer.
    public var outbox: StageSocket?
    /// How long a hand-over may wait for a peer before the ledger's redelivery is left to do it.
    public var sendTimeout: Duration
    /// A connection to `LISTEN` on ``RunLedger/runsChannel`` for new runs (ingest).
    public var wakeOnKick: PGConnectInfo?

    public init(inbox: StageSocket? = nil, outbox: StageSocket? = nil, sendTimeout: Duration = .seconds(5), wakeOnKick: PGConnectInfo? = nil) {
        self.inbox = inbox
        self.outbox = outbox
        self.sendTimeout = sendTimeout
        self.wakeOnKick = wakeOnKick
    }
}


/// The one loop every stage service runs, as a `Service`: it claims its stage's work from the
/// ledger, runs the ``StageJob`` while beating in the ledger, records the outcome, hands over to the
/// next stage, and supervises the ledger for work that a crash or a lost message left behind.
///
/// - **Claiming.** A stage fed by ZeroMQ (models, writer) claims the run a message names; ingest,
///   which has no inbox, claims queued runs when `LISTEN adrecs_runs` wakes it or every sweep.
/// - **Redelivery.** The ledger keeps the message that queued each stage. Every sweep a worker
///   claims a queued stage that had `redeliverAfter` to be claimed through its message (the message
///   was lost: the worker holding it died, or none was up when it was sent), or one queued again.
/// - **Supervision.** Every sweep, a `running` stage of any stage kind whose heartbeat is older than
///   `staleAfter` (its worker died: SIGKILL, out of memory, a lost host) goes back to `queued`, and
///   fails its run once claimed `maxAttempts` times (``RunLedger/releaseLostStages(staleAfter:maxAttempts:)``).
/// - **Failures.** An error that may pass (PostgreSQL or S3 unreachable, ``FailureDescription/isTransient``)
///   gives the claim back for another attempt; any other fails the run at once with its cause.
/// - **Shutdown.** On graceful shutdown it stops claiming and lets the current work go on for
///   `abandonAfter`; then it cancels it (blocking calls see the cancellation: the PostgreSQL pool
///   cancels its statement) and gives the stage back, `abandoned: service shutting down`, for
///   another process (or this one, restarted) to redo.
///
/// Heartbeats and sweeps run on threads of their own, so CPU-bound work on the cooperative pool
/// (one thread in a one-vCPU container) cannot starve them into a false "worker lost".
public final class StageRuntime<Job: StageJob>: Service, Sendable {
    /// What the runtime tells its ops server.
    public struct Status: Sendable {
        /// The endpoints as bound or connected (a bound `:*` shows the port chosen).
        public var inboxEndpoint: String?
        public var outboxEndpoint: String?
        /// The loop runs (migrations done, sockets open) and has not ended.
        public var looping = false
        /// The last time a sweep or heartbeat reached the ledger.
        public var lastLedgerContact: ContinuousClock.Instant?
    }

    public let job: Job
    public let workerID: String
    let ledger: any StageLedger
    let settings: StageSettings
    let messaging: StageMessaging
    let metrics: StageMetrics
    let logger: Logger
    let migrate: (@Sendable () async throws -> Void)?
    /// Threads for heartbeats and sweeps, away from the cooperative pool.
    let supervision: BlockingExecutor
    private let state = Mutex(Status())
    /// Graceful shutdown began: take no more work.
    private let stopping = Atomic(false)
    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// - Parameters:
    ///   - migrate: applied before the loop starts, retried with backoff while it fails.
    ///   - workerID: recorded in the ledger as the stage's worker; default `<stage>@<host>:<pid>`.
    public init(
        job: Job, ledger: any StageLedger, settings: StageSettings, messaging: StageMessaging, metrics: StageMetrics, logger: Logger,
        workerID: String? = nil, migrate: (@Sendable () async throws -> Void)? = nil
    ) {
        self.job = job
        self.ledger = ledger
        self.settings = settings
        self.messaging = messaging
        self.metrics = metrics
        self.logger = logger
        self.workerID = workerID ?? job.stage.defaultWorkerID
        self.migrate = migrate
        self.supervision = BlockingExecutor(label: "adrecs.\(job.stage.rawValue).sup", concurrent: true, maxThreads: 4)
    }

    public var status: Status { state.withLock { $0 } }

    /// Ready: the loop runs and the ledger answered a sweep or heartbeat within three periods (and 5 s).
    public var isReady: Bool {
        let status = self.status
        guard status.looping, let contact = status.lastLedgerContact else { return false }
        let bound = max(settings.sweepInterval, settings.heartbeat) * 3 + .seconds(5)
        return ContinuousClock.now - contact < bound
    }

    public func run() async throws {
        if let migrate {
            guard try await migrating(migrate) else { return }
        }
        let context = try ZeroMQContext()
        var receiver: ZeroMQReceiver?
        if let inbox = messaging.inbox {
            receiver = ZeroMQReceiver(try open(.pull, inbox, context: context), label: "adrecs.\(job.stage.rawValue).pull")
        }
        var sender: ZeroMQSender?
        if let outbox = messaging.outbox {
            sender = ZeroMQSender(try open(.push, outbox, context: context), label: "adrecs.\(job.stage.rawValue).push")
        }
        logger.info("Stage endpoints ready", metadata: [
            LogKeys.stage: "\(job.stage.rawValue)",
            LogKeys.endpoint: "\(status.inboxEndpoint ?? "-") -> \(status.outboxEndpoint ?? "-")",
        ])
        state.withLock { $0.looping = true }
        defer { state.withLock { $0.looping = false } }

        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: supervision) { await self.supervise(wake) }
            if let info = messaging.wakeOnKick {
                group.addTask { await self.listen(info, wake) }
            }
            let (receiver, sender) = (receiver, sender)
            await withGracefulShutdownHandler {
                if let receiver {
                    await self.serve(receiver, sender: sender)
                } else {
                    for await _ in wakeups {
                        await self.drainClaimable(sender: sender)
                    }
                }
            } onGracefulShutdown: {
                self.stopping.store(true, ordering: .releasing)
                wake.finish()
            }
            wake.finish()
            group.cancelAll()
        }
        await receiver?.close()
        await sender?.close()
        logger.info("Stage worker stopped", metadata: [LogKeys.stage: "\(job.stage.rawValue)"])
    }

    private func open(_ type: ZeroMQSocketType, _ socket: StageSocket, context: ZeroMQContext) throws -> ZeroMQSocket {
        // A receive queue of one message: PUSH spreads further messages to idle workers.
        let options = type == .pull
            ? ZeroMQSocketOptions(receiveHighWaterMark: 1)
            : ZeroMQSocketOptions(linger: .seconds(1), sendTimeout: messaging.sendTimeout)
        let zmq = try ZeroMQSocket(context: context, type: type, options: options)
        let endpoint: String
        if socket.binds {
            endpoint = try zmq.bind(socket.endpoint)
        } else {
            try zmq.connect(socket.endpoint)
            endpoint = socket.endpoint
        }
        state.withLock { if type == .pull { $0.inboxEndpoint = endpoint } else { $0.outboxEndpoint = endpoint } }
        return zmq
    }

    /// Applies the migrations, retrying with backoff (up to 5 s) while they fail; `false` when
    /// shutdown came first.
    private func migrating(_ migrate: @Sendable () async throws -> Void) async throws -> Bool {
        let backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5))
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await migrate()
                return true
            } catch let error as LedgerError {
                throw error
            } catch {
                logger.error("Database migration failed, retrying", metadata: [LogKeys.error: "\(FailureDescription(error).text)"])
                failures += 1
                let wait = backoff.delay(afterAttempt: failures)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            }
        }
        return false
    }

    // MARK: - The loops

    /// Models and writer: claims due work from the ledger, else waits up to a sweep for a message.
    private func serve(_ receiver: ZeroMQReceiver, sender: ZeroMQSender?) async {
        while !Task.isCancelled && !isStopping {
            await drainClaimable(sender: sender)
            let message: ZeroMQMessage?
            do {
                message = try await receiver.receive(waitingAtMost: settings.sweepInterval)
            } catch {
                logger.error("Receive failed", metadata: [LogKeys.error: "\(error)"])
                try? await Task.sleep(for: settings.sweepInterval)
                continue
            }
            if let message, !Task.isCancelled && !isStopping {
                await handle(message.payload, sender: sender)
            }
        }
    }

    /// Claims and works what the ledger says is due, one at a time, until nothing is.
    private func drainClaimable(sender: ZeroMQSender?) async {
        while !Task.isCancelled && !isStopping {
            let claim: RunClaim?
            do {
                claim = try await ledger.claimNext(stage: job.stage, worker: workerID, redeliverAfter: settings.redeliverAfter)
                touchLedger()
            } catch {
                if !Task.isCancelled { logger.warning("Claiming failed", metadata: [LogKeys.error: "\(FailureDescription(error).text)"]) }
                return
            }
            guard let claim else { return }
            await process(claim, message: nil, sender: sender)
        }
    }

    /// A message from the previous stage: claims the run it names and works it.
    private func handle(_ payload: [UInt8], sender: ZeroMQSender?) async {
        guard let runID = WireCodec.runID(ofUndecodable: payload) else {
            logger.error("Message rejected", metadata: [LogKeys.error: "no run id in a \(payload.count)-byte message"])
            metrics.recordFailure(.input)
            return
        }
        let claim: RunClaim?
        do {
            claim = try await ledger.claim(runID: runID, stage: job.stage, worker: workerID)
            touchLedger()
        } catch {
            // The ledger keeps the stage queued: a sweep claims it once PostgreSQL answers.
            logger.error("Claim failed", metadata: [LogKeys.runID: "\(runID)", LogKeys.error: "\(FailureDescription(error).text)"])
            metrics.recordFailure(.database)
            return
        }
        guard let claim else {
            logger.notice("Message skipped: the run's stage is not queued", metadata: [
                LogKeys.runID: "\(runID)", LogKeys.stage: "\(job.stage.rawValue)",
            ])
            return
        }
        await process(claim, message: payload, sender: sender)
    }

    /// Ingest: wakes the loop on each `adrecs_runs` notification.
    private func listen(_ info: PGConnectInfo, _ wake: AsyncStream<Void>.Continuation) async {
        let listener = PGListener(info, channels: [RunLedger.runsChannel])
        do {
            for try await _ in listener { wake.yield() }
        } catch {
            if !Task.isCancelled { logger.warning("Run listener ended, polling only", metadata: [LogKeys.error: "\(error)"]) }
        }
    }

    /// Every sweep: queues again (or fails) stages whose worker was lost, then wakes the loop.
    private func supervise(_ wake: AsyncStream<Void>.Continuation) async {
        while !Task.isCancelled {
            do {
                let releases = try await ledger.releaseLostStages(staleAfter: settings.staleAfter, maxAttempts: settings.maxAttempts)
                touchLedger()
                for release in releases where !release.requeued {
                    metrics.recordFailure(.lost)
                }
            } catch {
                if !Task.isCancelled { logger.warning("Supervision sweep failed", metadata: [LogKeys.error: "\(FailureDescription(error).text)"]) }
            }
            wake.yield()
            try? await supervision.sleep(for: settings.sweepInterval)
        }
    }

    private func touchLedger() {
        let now = ContinuousClock.now
        state.withLock { $0.lastLedgerContact = now }
    }

    // MARK: - One unit of work

    /// Works one claimed stage to its end in the ledger; never throws.
    func process(_ claim: RunClaim, message: [UInt8]?, sender: ZeroMQSender?) async {
        let logger = self.logger.with(runID: claim.runID, date: claim.date.description, stage: job.stage, attempt: claim.attempt)
        logger.info("Stage started")
        let clock = ContinuousClock()
        let start = clock.now
        metrics.recordStart(at: Date().timeIntervalSince1970)
        let outcome: StageOutcome
        do {
            let input = try job.input(for: claim, handover: message ?? claim.handover.map { Array($0.utf8) })
            do {
                outcome = try await abandoning {
                    try await self.beating(claim, logger: logger) {
                        try await self.job.run(input, claim: claim, logger: logger)
                    }
                }
            } catch is ClaimTakenBack {
                logger.warning("Stage work stopped: the claim was taken back")
                metrics.recordRun(.abandoned, duration: clock.now - start)
                return
            }
            if !outcome.completedByJob {
                try await ledger.completeStage(
                    runID: claim.runID, stage: job.stage, attempt: claim.attempt, counts: outcome.counts, s3Keys: outcome.s3Keys,
                    next: outcome.handover?.stage, handover: outcome.handover.map { String(decoding: $0.message, as: UTF8.self) })
            }
        } catch {
            await record(error, claim: claim, elapsed: clock.now - start, logger: logger)
            return
        }
        touchLedger()
        metrics.recordRun(.succeeded, duration: clock.now - start)
        metrics.recordSuccess(at: Date().timeIntervalSince1970)
        logger.info("Stage succeeded", metadata: [
            LogKeys.rows: "\(outcome.rows)", LogKeys.durationSeconds: "\((clock.now - start).seconds)",
        ])
        if let handover = outcome.handover, let sender {
            do {
                try await sender.send(handover.message)
            } catch {
                // The ledger holds the hand-over: a worker of the next stage claims it from there.
                metrics.recordFailure(.messaging)
                logger.warning("Hand-over not taken; left to redelivery from the ledger", metadata: [
                    LogKeys.error: "\(error)", LogKeys.stage: "\(handover.stage.rawValue)",
                ])
            }
        }
    }

    /// The ledger's text for work given up on shutdown.
    static var abandonedText: String { "abandoned: service shutting down" }

    /// Records a failed unit. Work abandoned on shutdown (a deploy, a scale-in) and a failure on a
    /// dependency that may come back (``FailureDescription/isTransient``) give the claim back for
    /// another attempt; any other failure fails the run with its description. Written from a task
    /// of its own, so it is recorded even while the caller is cancelled; a ledger that cannot be
    /// written is logged (the supervisor then finds the stage lost).
    private func record(_ error: any Error, claim: RunClaim, elapsed: Duration, logger: Logger) async {
        let abandoned = Task.isCancelled || error is CancellationError
        let failure = FailureDescription(job.failure(for: error))
        let retry = abandoned || FailureDescription(error).isTransient
        let text = abandoned ? Self.abandonedText : failure.text
        if abandoned {
            logger.warning("Stage abandoned: service shutting down; given back for another attempt")
            metrics.recordRun(.abandoned, duration: elapsed)
        } else {
            metrics.recordFailure(failure.cause)
            if retry {
                logger.warning("Stage failed on a dependency; given back for another attempt", metadata: [LogKeys.error: "\(text)"])
                metrics.recordRun(.retried, duration: elapsed)
            } else {
                logger.error("Stage failed", metadata: [LogKeys.error: "\(text)"])
                metrics.recordRun(.failed, duration: elapsed)
            }
        }
        let (ledger, stage, maxAttempts) = (ledger, job.stage, settings.maxAttempts)
        await Task {
            do {
                if retry {
                    _ = try await ledger.releaseStage(
                        runID: claim.runID, stage: stage, attempt: claim.attempt, cause: text, maxAttempts: maxAttempts)
                } else {
                    try await ledger.failStage(runID: claim.runID, stage: stage, attempt: claim.attempt, error: text)
                }
            } catch {
                logger.error("Recording the outcome in the ledger failed", metadata: [LogKeys.error: "\(FailureDescription(error).text)"])
            }
        }.value
    }

    /// Runs `work`; once graceful shutdown has begun, lets it go on for `abandonAfter`, then
    /// cancels it and throws `CancellationError`.
    private func abandoning<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let grace = settings.abandonAfter
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: grace)
                } catch {
                    return nil
                }
                throw CancellationError()
            }
            group.addTask { try await work() }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }

    /// The ledger refused a heartbeat: the claim was taken back (the stage was failed, or queued
    /// again as lost), so the work stops and records nothing.
    struct ClaimTakenBack: Error {}

    /// Runs `body` while beating for `claim` every heartbeat, on the supervision threads. A beat the
    /// ledger refuses cancels `body` and throws ``ClaimTakenBack``. A beat that cannot reach the
    /// ledger is logged, never fatal.
    private func beating<T: Sendable>(
        _ claim: RunClaim, logger: Logger, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask(executorPreference: supervision) {
                while !Task.isCancelled {
                    do {
                        try await self.supervision.sleep(for: self.settings.heartbeat)
                        guard try await self.ledger.heartbeat(runID: claim.runID, stage: claim.stage, attempt: claim.attempt) else {
                            throw ClaimTakenBack()
                        }
                        self.touchLedger()
                    } catch is CancellationError {
                        return nil
                    } catch let error as ClaimTakenBack {
                        throw error
                    } catch where Task.isCancelled {
                        // The work ended while a heartbeat ran: the pool cancelled its statement.
                        return nil
                    } catch {
                        logger.warning("Heartbeat failed", metadata: [LogKeys.error: "\(FailureDescription(error).text)"])
                    }
                }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }
}
