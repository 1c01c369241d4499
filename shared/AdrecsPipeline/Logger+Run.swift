public import AdrecsDatabase
import AdrecsRuntime
public import Logging

extension Logger {
    /// This logger with the run, its date and the stage as metadata.
    public func with(runID: String, date: String, stage: Stage) -> Logger {
        var logger = self
        logger[metadataKey: LogKeys.runID] = "\(runID)"
        logger[metadataKey: LogKeys.date] = "\(date)"
        logger[metadataKey: LogKeys.stage] = "\(stage.rawValue)"
        return logger
    }
}
