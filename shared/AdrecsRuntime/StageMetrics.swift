public import Metrics

/// The metrics of one pipeline stage, created once with every label value fixed up front,
/// so each series exists (at zero) from start and recording never allocates.
///
/// Metrics go to `factory`: the process-wide one the executable bootstrapped, or a test's own.
public struct StageMetrics: Sendable {
    public let stage: String
    private let runs: [RunOutcome: Counter]
    private let rows: [RowKind: Counter]
    private let bytes: [ByteDirection: Counter]
    private let failures: [FailureCause: Counter]
    private let duration: Metrics.Timer
    private let lastSuccess: Gauge
    private let runningSince: Gauge

    public init(stage: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.stage = stage
        let stageLabel = (MetricNames.Label.stage, stage)
        func counters<Label: RawRepresentable<String> & CaseIterable & Hashable>(
            _ name: String, _ key: String, _: Label.Type
        ) -> [Label: Counter] {
            Dictionary(uniqueKeysWithValues: Label.allCases.map { value in
                (value, Counter(label: name, dimensions: [stageLabel, (key, value.rawValue)], factory: factory))
            })
        }
        self.runs = counters(MetricNames.runs, MetricNames.Label.outcome, RunOutcome.self)
        self.rows = counters(MetricNames.rows, MetricNames.Label.kind, RowKind.self)
        self.bytes = counters(MetricNames.bytes, MetricNames.Label.direction, ByteDirection.self)
        self.failures = counters(MetricNames.stageFailures, MetricNames.Label.cause, FailureCause.self)
        self.duration = Metrics.Timer(label: MetricNames.stageDuration, dimensions: [stageLabel], factory: factory)
        self.lastSuccess = Gauge(label: MetricNames.lastSuccess, dimensions: [stageLabel], factory: factory)
        self.runningSince = Gauge(label: MetricNames.runningSince, dimensions: [stageLabel], factory: factory)
    }

    /// Marks a run begun at `unixSeconds` (Unix time); the run's ``recordRun(_:duration:)`` clears the mark.
    public func recordStart(at unixSeconds: Double) {
        runningSince.record(unixSeconds)
    }

    /// Counts a finished run, records its duration, and clears the mark of ``recordStart(at:)``.
    public func recordRun(_ outcome: RunOutcome, duration: Duration) {
        runs[outcome]?.increment()
        self.duration.record(duration: duration)
        runningSince.record(0)
    }

    /// Records the time (Unix seconds) of a run that succeeded, once the ledger holds its success.
    public func recordSuccess(at unixSeconds: Double) {
        lastSuccess.record(unixSeconds)
    }

    /// Counts a failure by cause; pair it with `recordRun(.failed, ...)` for the run it ended.
    public func recordFailure(_ cause: FailureCause) {
        failures[cause]?.increment()
    }

    public func recordRows(_ count: Int, _ kind: RowKind) {
        rows[kind]?.increment(by: count)
    }

    public func recordBytes(_ count: Int, _ direction: ByteDirection) {
        bytes[direction]?.increment(by: count)
    }
}

/// Which way bytes moved: the `direction` label of `adrecs_bytes_total`.
public enum ByteDirection: String, Sendable, CaseIterable {
    case read
    case written
}

/// What happened to rows: the `kind` label of `adrecs_rows_total`.
public enum RowKind: String, Sendable, CaseIterable {
    case read
    case kept
    /// Malformed lines set aside rather than failing the run.
    case quarantined
    case written
}

/// How a unit of work ended: the `outcome` label of `adrecs_runs_total`.
public enum RunOutcome: String, Sendable, CaseIterable {
    case succeeded
    case failed
    /// Given up on purpose, e.g. on graceful shutdown, so that it can run again.
    case abandoned
    /// Failed on a dependency that may come back (PostgreSQL or S3 unreachable): given back to the
    /// ledger for another attempt.
    case retried
}

/// Why a run failed: the `cause` label of `adrecs_stage_failures_total`.
public enum FailureCause: String, Sendable, CaseIterable {
    /// S3 requests.
    case storage
    /// PostgreSQL.
    case database
    /// ZeroMQ messages between stages.
    case messaging
    /// Input the stage cannot use: a bad message, a missing or unreadable object.
    case input
    /// A worker lost while it worked (no heartbeat) once the stage's attempts were spent.
    case lost
    /// Anything else.
    case unexpected
}
