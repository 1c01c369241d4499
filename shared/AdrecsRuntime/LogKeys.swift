/// Metadata keys used in every adrecs log line. Messages stay constant; values go here.
public enum LogKeys {
    public static let service = "adrecs.service"
    public static let runID = "adrecs.run.id"
    public static let date = "adrecs.date"
    public static let stage = "adrecs.stage"
    public static let advertiserID = "adrecs.advertiser.id"
    public static let s3Key = "adrecs.s3.key"
    public static let rows = "adrecs.rows"
    public static let durationSeconds = "adrecs.duration_seconds"
    public static let error = "adrecs.error"
    public static let endpoint = "adrecs.endpoint"
    public static let path = "adrecs.path"
    public static let attempt = "adrecs.attempt"
    public static let schema = "adrecs.db.schema"
    public static let migration = "adrecs.db.migration"
    /// Whether a run was kicked with `force` (the writer's volume check does not stop it).
    public static let force = "adrecs.run.force"
    /// Who retracted a day (`http`, `cli`).
    public static let retractionSource = "adrecs.retraction.source"
    public static let version = "adrecs.version"
    public static let commit = "adrecs.commit"
    /// The effective settings logged once at start (`KEY: value`, secrets redacted).
    public static let settings = "adrecs.settings"
}
