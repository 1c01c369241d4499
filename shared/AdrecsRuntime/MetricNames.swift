/// The names and label keys of every adrecs metric: prefix `adrecs_`, unit suffix `_total`, `_seconds` or `_bytes`
/// (`_info` for the constant 1 whose labels carry the information, a Prometheus convention).
public enum MetricNames {
    /// Counter `{stage, outcome}`: finished units of work (runs) per outcome.
    public static let runs = "adrecs_runs_total"
    /// Counter `{stage, kind}`: rows read, kept, quarantined or written.
    public static let rows = "adrecs_rows_total"
    /// Counter `{stage, direction}`: payload bytes read from or written to storage.
    public static let bytes = "adrecs_bytes_total"
    /// Histogram `{stage}`: wall time of one run, whatever its outcome.
    public static let stageDuration = "adrecs_stage_duration_seconds"
    /// Counter `{stage, cause}`: failed runs by the cause of failure.
    public static let stageFailures = "adrecs_stage_failures_total"
    /// Gauge `{stage}`: Unix time of this process's last successful run of the stage (its ledger
    /// record written); 0 until the first. The writer's is the last committed day.
    public static let lastSuccess = "adrecs_last_success_timestamp_seconds"
    /// Gauge `{stage}`: Unix time the run this process works on began; 0 while idle.
    public static let runningSince = "adrecs_stage_running_since_timestamp_seconds"
    /// Gauge (api): midnight UTC, as Unix time, of the latest committed day the API serves; 0
    /// while it serves none.
    public static let latestCommittedDate = "adrecs_latest_committed_date_timestamp_seconds"
    /// Gauge `{version, commit}`, always 1: which build the process runs (``BuildInfo``), on every service.
    public static let buildInfo = "adrecs_build_info"

    /// Label keys.
    public enum Label {
        public static let stage = "stage"
        public static let outcome = "outcome"
        public static let kind = "kind"
        public static let direction = "direction"
        public static let cause = "cause"
        public static let version = "version"
        public static let commit = "commit"
    }
}
