public import AdrecsDatabase
public import Logging

/// What a stage service (ingest, models, writer) supplies to ``StageRuntime``: its one unit of
/// work for a claimed stage. The runtime does the rest: claiming, heartbeats, shutdown, retries,
/// recording the outcome in the ledger and handing over to the next stage.
public protocol StageJob: Sendable {
    /// The work's input, read from the claim (and the message that queued the stage).
    associatedtype Input: Sendable
    /// The service's error type: the ledger's text and the metrics' cause of its failures.
    associatedtype Failure: StageError

    /// The stage this job works.
    var stage: Stage { get }

    /// The input of `claim`: from `handover`, the message that queued the stage (over ZeroMQ, or
    /// recorded in the ledger), when the stage has one. An error fails the stage at once.
    func input(for claim: RunClaim, handover: [UInt8]?) throws -> Input

    /// Does the stage's work. Throwing fails the stage, or queues it again when the error may
    /// pass (``FailureDescription/isTransient``).
    func run(_ input: Input, claim: RunClaim, logger: Logger) async throws -> StageOutcome

    /// The error to describe in the ledger for `error` thrown by ``run(_:claim:logger:)``.
    func failure(for error: any Error) -> any Error
}

extension StageJob {
    public func failure(for error: any Error) -> any Error { error }
}

/// How a stage's work ended well: what the runtime records and hands over.
public struct StageOutcome: Sendable {
    /// The stage's counts and S3 keys for the ledger.
    public var counts: [String: Int]
    public var s3Keys: [String: String]
    /// The next stage and the message (JSON) that hands it the work; `nil` for the last stage.
    public var handover: (stage: Stage, message: [UInt8])?
    /// `true` when the job completed the stage in the ledger itself (the writer does, inside the
    /// transaction that commits the day).
    public var completedByJob: Bool
    /// Rows produced, for the log.
    public var rows: Int

    public init(
        counts: [String: Int] = [:], s3Keys: [String: String] = [:], handover: (stage: Stage, message: [UInt8])? = nil,
        completedByJob: Bool = false, rows: Int
    ) {
        self.counts = counts
        self.s3Keys = s3Keys
        self.handover = handover
        self.completedByJob = completedByJob
        self.rows = rows
    }
}
