public import AdrecsDomain

/// A stage of a run that a worker has claimed (its state is now `running`).
public struct RunClaim: Sendable, Equatable {
    public var runID: String
    public var date: Day
    public var stage: Stage

    public init(runID: String, date: Day, stage: Stage) {
        self.runID = runID
        self.date = date
        self.stage = stage
    }
}
