/// Log metadata keys of this module beyond `AdrecsRuntime.LogKeys`.
enum DatabaseLogKeys {
    static let schema = "adrecs.db.schema"
    static let migration = "adrecs.db.migration"
    /// Whether a run was kicked with `force` (the writer's volume check does not stop it).
    static let force = "adrecs.run.force"
    /// Who retracted a day (`http`, `cli`).
    static let source = "adrecs.retraction.source"
}
