public import LibPQ

extension DatabaseConfig {
    /// A pool whose every connection has `search_path` set to ``schema`` and the ``timeouts``
    /// applied; a caller waits at most ``Timeouts/poolWait`` for a connection.
    ///
    /// The settings go into libpq's `options` (`-c search_path=<schema> -c statement_timeout=…`)
    /// and keywords (`connect_timeout`, `keepalives_*`) added to the connection string, so
    /// `sslmode` and every other option of ``url`` stay as they are.
    public func makePool(applicationName: String) -> PGPool {
        PGPool(connectInfo(applicationName: applicationName),
               configuration: PGPool.Configuration(maxConnections: max(1, poolSize), maxWait: .seconds(timeouts.poolWait)))
    }

    /// ``url`` with the schema and the ``timeouts`` added, for a pool or a ``LibPQ/PGListener``.
    public func connectInfo(applicationName: String) -> PGConnectInfo {
        PGConnectInfo(
            Self.conninfo(url: url, schema: schema, settings: sessionSettings, keywords: connectionKeywords),
            applicationName: applicationName)
    }

    /// Server settings for every session: statement and lock timeouts in milliseconds (0 = none).
    var sessionSettings: [(String, String)] {
        [("statement_timeout", String(timeouts.statement * 1000)), ("lock_timeout", String(timeouts.lock * 1000))]
    }

    /// libpq keywords, used unless ``url`` sets them.
    var connectionKeywords: [(String, String)] {
        [
            ("connect_timeout", String(timeouts.connect)), ("keepalives", "1"),
            ("keepalives_idle", String(timeouts.keepaliveIdle)), ("keepalives_interval", String(timeouts.keepaliveInterval)),
            ("keepalives_count", String(timeouts.keepaliveCount)),
        ]
    }

    /// Adds the search path and `settings` to a URI (as a query parameter, merged into an existing
    /// `options`) or to a key=value string (as a last `options` pair, which libpq lets win), and
    /// `keywords` the string does not set (a URI's query parameters; in a key=value string they go
    /// first, so the string's own pairs win).
    static func conninfo(url: String, schema: String, settings: [(String, String)] = [], keywords: [(String, String)] = []) -> String {
        precondition(isValidSchemaName(schema), "schema name was not validated")
        let all = [("search_path", schema)] + settings
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
            let setting = all.map { "-c \($0.0)=\($0.1)" }.joined(separator: " ")
            let prefix = keywords.map { "\($0.0)=\($0.1) " }.joined()
            return url.isEmpty ? "\(prefix)options='\(setting)'" : "\(prefix)\(url) options='\(setting)'"
        }
        let encoded = all.map { "-c%20\($0.0)%3D\($0.1)" }.joined(separator: "%20")
        var base = Substring(url)
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = base[..<hash]
        }
        var parameters: [String] = []
        if let question = base.firstIndex(of: "?") {
            parameters = base[base.index(after: question)...].split(separator: "&", omittingEmptySubsequences: true).map(String.init)
            base = base[..<question]
        }
        if let index = parameters.firstIndex(where: { $0.hasPrefix("options=") }) {
            parameters[index] += "%20" + encoded
        } else {
            parameters.append("options=" + encoded)
        }
        for (keyword, value) in keywords where !parameters.contains(where: { $0.hasPrefix(keyword + "=") }) {
            parameters.append("\(keyword)=\(value)")
        }
        return "\(base)?\(parameters.joined(separator: "&"))\(fragment)"
    }
}
