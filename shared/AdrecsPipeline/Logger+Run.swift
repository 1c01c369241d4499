public import AdrecsDatabase
import AdrecsRuntime
public import Logging

extension Logger {
    /// This logger with the run, its date, the stage and the claim's attempt (when given) as metadata.
    public func with(runID: String, date: String, stage: Stage, attempt: Int? = nil) -> Logger {
        var logger = self
        logger[metadataKey: LogKeys.runID] = "\(runID)"
        logger[metadataKey: LogKeys.date] = "\(date)"
        logger[metadataKey: LogKeys.stage] = "\(stage.rawValue)"
        if let attempt { logger[metadataKey: LogKeys.attempt] = "\(attempt)" }
        return logger
    }
}
