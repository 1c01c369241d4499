public import Configuration
public import Logging

/// The environment keys of one command, in the order `--help` and the README list them.
public struct SettingsCatalog: Sendable, Equatable {
    public var settings: [Setting]

    public init(_ groups: [Setting]...) {
        self.settings = groups.flatMap { $0 }
    }

    public subscript(name: String) -> Setting? { settings.first { $0.name == name } }

    /// The environment section of `--help`: per key a line `  KEY=default` (`  KEY` when it has
    /// none), then its summary indented by six spaces, wrapped below 80 columns so that the
    /// argument parser keeps the lines as they are. scripts/check_static.py parses this layout.
    public var helpText: String {
        var lines = [
            "ENVIRONMENT (KEY=default; no = means no default; secrets are never logged):"
        ]
        for setting in settings {
            lines.append("  " + setting.name + (setting.defaultValue.map { "=" + $0 } ?? ""))
            let summary = (setting.isSecret ? "Secret. " : "") + setting.summary
            lines += Self.wrap(summary, width: 72).map { "      " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// Each key's value in effect (set, else its default; `nil` when neither), secrets redacted.
    public func effectiveValues(_ reader: ConfigReader) -> [(name: String, value: String?)] {
        settings.map { setting in
            let value = reader.string(forKey: ConfigKey(setting.configKey), isSecret: setting.isSecret) ?? setting.defaultValue
            return (setting.name, value.map(setting.redacted))
        }
    }

    /// ``effectiveValues(_:)`` as one log metadata dictionary (`KEY: value`; unset keys `(unset)`).
    public func effectiveMetadata(_ reader: ConfigReader) -> Logger.MetadataValue {
        .dictionary(Dictionary(uniqueKeysWithValues: effectiveValues(reader).map { ($0.name, .string($0.value ?? "(unset)")) }))
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
