public import LibPQ

extension DatabaseConfig {
    /// A pool whose every connection has `search_path` set to ``schema``.
    ///
    /// The schema goes into libpq's `options` (`-c search_path=<schema>`), appended to the
    /// connection string, so `sslmode` and every other option of ``url`` stay as they are.
    public func makePool(applicationName: String) -> PGPool {
        PGPool(connectInfo(applicationName: applicationName),
               configuration: PGPool.Configuration(maxConnections: max(1, poolSize)))
    }

    /// ``url`` with `options=-c search_path=<schema>` added, for a pool or a ``LibPQ/PGListener``.
    public func connectInfo(applicationName: String) -> PGConnectInfo {
        PGConnectInfo(Self.conninfo(url: url, schema: schema), applicationName: applicationName)
    }

    /// Adds the search path to a URI (as a query parameter, merged into an existing `options`)
    /// or to a key=value string (as a last `options` pair, which libpq lets win).
    static func conninfo(url: String, schema: String) -> String {
        precondition(isValidSchemaName(schema), "schema name was not validated")
        let setting = "-c search_path=\(schema)"
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
            return url.isEmpty ? "options='\(setting)'" : url + " options='\(setting)'"
        }
        let encoded = "-c%20search_path%3D\(schema)"
        var base = Substring(url)
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = base[..<hash]
        }
        guard let question = base.firstIndex(of: "?") else { return "\(base)?options=\(encoded)\(fragment)" }
        let query = base[base.index(after: question)...]
        var parameters = query.split(separator: "&", omittingEmptySubsequences: true).map(String.init)
        if let index = parameters.firstIndex(where: { $0.hasPrefix("options=") }) {
            parameters[index] += "%20" + encoded
        } else {
            parameters.append("options=" + encoded)
        }
        return "\(base[..<question])?\(parameters.joined(separator: "&"))\(fragment)"
    }
}
