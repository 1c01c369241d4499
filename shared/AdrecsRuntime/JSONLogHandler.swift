#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging

/// A swift-log backend writing one JSON object per line (`LOG_FORMAT=json`):
/// `{"timestamp":"2026-12-06T03:04:05.678Z","level":"info","message":"…","metadata":{…}}`, keys in
/// that order, metadata merged from the logger, its provider and the call (the call wins), nested
/// values as JSON arrays and objects.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: @Sendable (String) -> Void
    private let now: @Sendable () -> String

    /// A handler passing each finished line (with its `\n`) to `write`; `now` gives the timestamp.
    public init(
        metadataProvider: Logger.MetadataProvider? = nil,
        now: @escaping @Sendable () -> String = JSONLogHandler.timestamp,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.metadataProvider = metadataProvider
        self.now = now
        self.output = write
    }

    /// Lines to standard error, each with one `write(2)` while it takes the whole line (a line
    /// below PIPE_BUF reaches a pipe in one piece, so lines of concurrent tasks never interleave).
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(metadataProvider: LoggingSystem.metadataProvider) { line in
            var line = line
            line.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var line = #"{"timestamp":"# + Self.quoted(now())
        line += #","level":"# + Self.quoted(event.level.rawValue)
        line += #","message":"# + Self.quoted(event.message.description)
        line += #","metadata":"# + Self.json(.dictionary(merged))
        line += "}\n"
        output(line)
    }

    /// The current UTC time, ISO 8601 with milliseconds.
    @Sendable public static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(Int(spec.tv_nsec) / 1_000_000, 3))Z"
    }

    static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): quoted(string)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal (RFC 8259 escapes; control characters as `\u00XX`).
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
