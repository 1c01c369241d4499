public import Configuration
public import AdrecsRuntime

/// Where the adrecs database is, how many connections a service may hold, and the time bounds
/// of connecting, waiting for a pooled connection, statements and lock waits.
///
/// Keys (environment name in brackets):
/// - `db.url` (`DB_URL`, secret): a libpq connection string or `postgresql://` URI; default
///   ``defaultURL``. Every libpq option in it (`sslmode`, `connect_timeout`, …) is kept and wins
///   over the keys below.
/// - `db.schema` (`DB_SCHEMA`): the schema holding adrecs' tables, `^[a-z_][a-z0-9_]{0,62}$`;
///   default `public`. Tests use a schema of their own.
/// - `db.pool.size` (`DB_POOL_SIZE`): connections per pool, 1...64; default 4.
/// - `db.connect.timeout.seconds` (`DB_CONNECT_TIMEOUT_SECONDS`): libpq's `connect_timeout`, the
///   bound on opening one connection (TCP, TLS and the startup exchange), 2...3600; default 10.
/// - `db.statement.timeout.seconds` (`DB_STATEMENT_TIMEOUT_SECONDS`): the server cancels a
///   statement running longer (`statement_timeout`), 0 (none)...86400; default 300.
/// - `db.lock.timeout.seconds` (`DB_LOCK_TIMEOUT_SECONDS`): a statement waiting longer for a lock
///   fails (`lock_timeout`), 0 (none)...86400; default 60.
/// - `db.pool.wait.seconds` (`DB_POOL_WAIT_SECONDS`): how long a caller waits for a connection
///   while all of the pool's are lent out, 1...3600; default 60.
/// - `db.keepalive.idle.seconds`, `db.keepalive.interval.seconds`, `db.keepalive.count`
///   (`DB_KEEPALIVE_IDLE_SECONDS`, `DB_KEEPALIVE_INTERVAL_SECONDS`, `DB_KEEPALIVE_COUNT`): TCP
///   keepalives, so a connection to a server that vanished (a failover) fails instead of hanging;
///   defaults 30, 10, 3 (a silent peer is noticed after about a minute).
///
/// The defaults outlast a database failover of 30-60 s without hanging on a dead peer.
public struct DatabaseConfig: Sendable {
    public static let defaultURL = "postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable"
    public static let defaultSchema = "public"
    public static let defaultPoolSize = 4

    public var url: String
    public var schema: String
    public var poolSize: Int
    public var timeouts: Timeouts

    /// The time bounds of connections made from this configuration, in whole seconds.
    public struct Timeouts: Sendable, Hashable {
        public var connect: Int
        /// 0 disables the statement timeout.
        public var statement: Int
        /// 0 disables the lock timeout.
        public var lock: Int
        public var poolWait: Int
        public var keepaliveIdle: Int
        public var keepaliveInterval: Int
        public var keepaliveCount: Int

        public init(
            connect: Int = 10, statement: Int = 300, lock: Int = 60, poolWait: Int = 60,
            keepaliveIdle: Int = 30, keepaliveInterval: Int = 10, keepaliveCount: Int = 3
        ) {
            self.connect = connect
            self.statement = statement
            self.lock = lock
            self.poolWait = poolWait
            self.keepaliveIdle = keepaliveIdle
            self.keepaliveInterval = keepaliveInterval
            self.keepaliveCount = keepaliveCount
        }
    }

    public init(url: String, schema: String = "public", poolSize: Int = 4, timeouts: Timeouts = Timeouts()) {
        self.url = url
        self.schema = schema
        self.poolSize = poolSize
        self.timeouts = timeouts
    }

    public init(config: ConfigReader) throws(ConfigError) {
        let url = config.string(forKey: "db.url", isSecret: true, default: Self.defaultURL)
        guard !url.isEmpty else { throw ConfigError(key: "db.url", message: "empty connection string") }
        let schema = config.string(forKey: "db.schema", default: Self.defaultSchema)
        guard Self.isValidSchemaName(schema) else {
            throw ConfigError(key: "db.schema", message: "not a lower-case schema name (^[a-z_][a-z0-9_]{0,62}$) '\(schema)'")
        }
        let poolSize = try Self.int(config, "db.pool.size", in: 1...64, default: Self.defaultPoolSize, what: "a pool size")
        let defaults = Timeouts()
        let timeouts = Timeouts(
            connect: try Self.int(config, "db.connect.timeout.seconds", in: 2...3600, default: defaults.connect),
            statement: try Self.int(config, "db.statement.timeout.seconds", in: 0...86400, default: defaults.statement),
            lock: try Self.int(config, "db.lock.timeout.seconds", in: 0...86400, default: defaults.lock),
            poolWait: try Self.int(config, "db.pool.wait.seconds", in: 1...3600, default: defaults.poolWait),
            keepaliveIdle: try Self.int(config, "db.keepalive.idle.seconds", in: 1...3600, default: defaults.keepaliveIdle),
            keepaliveInterval: try Self.int(config, "db.keepalive.interval.seconds", in: 1...3600, default: defaults.keepaliveInterval),
            keepaliveCount: try Self.int(config, "db.keepalive.count", in: 1...100, default: defaults.keepaliveCount))
        self.init(url: url, schema: schema, poolSize: poolSize, timeouts: timeouts)
    }

    /// The keys above, for the services' settings catalogs (`--help`, README, start-up log).
    public static let settings: [Setting] = {
        let defaults = Timeouts()
        return [
            Setting("DB_URL", default: defaultURL,
                    "A libpq connection string or postgresql:// URI; its libpq options (sslmode, connect_timeout, ...) win over the keys below. Logged with its password redacted.",
                    secrecy: .credentialsInURL),
            Setting("DB_SCHEMA", default: defaultSchema, "The schema holding adrecs' tables, ^[a-z_][a-z0-9_]{0,62}$."),
            Setting("DB_POOL_SIZE", default: "\(defaultPoolSize)", "Connections per pool, 1...64."),
            Setting("DB_CONNECT_TIMEOUT_SECONDS", default: "\(defaults.connect)", "Bound on opening one connection (TCP, TLS, startup), 2...3600."),
            Setting("DB_STATEMENT_TIMEOUT_SECONDS", default: "\(defaults.statement)", "The server cancels a longer statement; 0 = none, up to 86400."),
            Setting("DB_LOCK_TIMEOUT_SECONDS", default: "\(defaults.lock)", "A statement waiting longer for a lock fails; 0 = none, up to 86400."),
            Setting("DB_POOL_WAIT_SECONDS", default: "\(defaults.poolWait)", "How long a caller waits for a pooled connection while all are lent out, 1...3600."),
            Setting("DB_KEEPALIVE_IDLE_SECONDS", default: "\(defaults.keepaliveIdle)", "TCP keepalive: idle time before the first probe, so a vanished server (failover) fails the connection instead of hanging it."),
            Setting("DB_KEEPALIVE_INTERVAL_SECONDS", default: "\(defaults.keepaliveInterval)", "TCP keepalive: seconds between probes."),
            Setting("DB_KEEPALIVE_COUNT", default: "\(defaults.keepaliveCount)", "TCP keepalive: unanswered probes before the connection fails."),
        ]
    }()

    /// An integer key within `range`.
    private static func int(
        _ config: ConfigReader, _ key: String, in range: ClosedRange<Int>, default value: Int, what: String = "a number of seconds"
    ) throws(ConfigError) -> Int {
        let raw = config.string(forKey: ConfigKey(key), default: String(value))
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw ConfigError(key: key, message: "not \(what) (\(range.lowerBound)...\(range.upperBound)) '\(raw)'")
        }
        return parsed
    }

    /// `true` for `^[a-z_][a-z0-9_]{0,62}$`: such a name needs no quoting and cannot inject SQL.
    public static func isValidSchemaName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        return isLetter(first) && bytes.dropFirst().allSatisfy { isLetter($0) || isDigit($0) }
    }
}
