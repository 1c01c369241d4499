/// Log metadata keys of this module beyond `AdrecsRuntime.LogKeys`.
enum DatabaseLogKeys {
    static let schema = "adrecs.db.schema"
    static let migration = "adrecs.db.migration"
}
