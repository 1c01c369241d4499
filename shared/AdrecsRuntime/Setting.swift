/// One environment key a command reads, with its default: the one source of `--help`'s
/// environment list, the services' README tables (checked against `--help` by
/// scripts/check_static.py) and the start-up log of effective settings.
public struct Setting: Sendable, Equatable {
    /// How a value is shown in logs.
    public enum Secrecy: Sendable, Equatable {
        case none
        /// Never shown: `<redacted>` when set.
        case secret
        /// A connection string: shown with its password (URI user info, `password=`) redacted.
        case credentialsInURL
    }

    /// The environment name, `DB_URL`.
    public var name: String
    /// The value used when the key is unset; `nil` when there is none (the key stays unset).
    public var defaultValue: String?
    /// One or two sentences for `--help` and the README.
    public var summary: String
    public var secrecy: Secrecy

    public init(_ name: String, default defaultValue: String?, _ summary: String, secrecy: Secrecy = .none) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
        self.secrecy = secrecy
    }

    /// The dotted key the code reads (`db.url` for `DB_URL`).
    public var configKey: String { String(name.lowercased().map { $0 == "_" ? "." : $0 }) }

    public var isSecret: Bool { secrecy != .none }

    /// `value` as a log may show it.
    public func redacted(_ value: String) -> String {
        switch secrecy {
        case .none: value
        case .secret: value.isEmpty ? "" : Self.redactedMark
        case .credentialsInURL: Self.redactCredentials(in: value)
        }
    }

    public static let redactedMark = "<redacted>"

    /// `postgresql://user:pw@host/db?password=pw` → `postgresql://user:<redacted>@host/db?password=<redacted>`;
    /// also libpq's `key=value` form (`password=pw host=…`).
    public static func redactCredentials(in value: String) -> String {
        var result = ""
        var rest = Substring(value)
        if let scheme = rest.firstRange(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                result += rest[...colon]
                result += redactedMark
                rest = rest[at...]
            }
        }
        while let match = rest.firstRange(of: "password=") {
            result += rest[..<match.upperBound]
            result += redactedMark
            rest = rest[match.upperBound...]
            rest = rest[(rest.firstIndex(where: { $0 == "&" || $0 == " " }) ?? rest.endIndex)...]
        }
        return result + rest
    }
}
