public import AdrecsDomain

/// A stage of a run that a worker has claimed (its state is now `running`).
public struct RunClaim: Sendable, Equatable {
    public var runID: String
    public var date: Day
    public var stage: Stage
    /// Which claim of the stage this is (1 for the first): heartbeats, completion and failure of an
    /// older claim (a worker presumed lost, whose stage was queued again) change nothing.
    public var attempt: Int
    /// The message that queued the stage (JSON, as sent over ZeroMQ), when the previous stage recorded it.
    public var handover: String?

    public init(runID: String, date: Day, stage: Stage, attempt: Int = 1, handover: String? = nil) {
        self.runID = runID
        self.date = date
        self.stage = stage
        self.attempt = attempt
        self.handover = handover
    }
}
