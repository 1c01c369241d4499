import AdrecsRuntime
import Logging

extension Logger {
    /// This logger with the run, its date and the models stage as metadata.
    func with(runID: String, date: String) -> Logger {
        var logger = self
        logger[metadataKey: LogKeys.runID] = "\(runID)"
        logger[metadataKey: LogKeys.date] = "\(date)"
        logger[metadataKey: LogKeys.stage] = "models"
        return logger
    }
}
