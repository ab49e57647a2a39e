public import FoundationEssentials
public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shape of a log line.
public enum LogFormat: String, Sendable, Codable, CaseIterable {
    /// `key=value` pairs, values quoted when they contain spaces, quotes or `=`.
    case logfmt
    /// One JSON object per line.
    case json
}

/// A `LogHandler` writing one line per event: logfmt by default, JSON when selected.
///
/// Keys are stable: `time`, `level`, `msg`, then the metadata keys in sorted order (`feed.url`,
/// `article.url`, `cluster.id`, `status`, `duration_ms`, `bytes`, `error`, …). When the process
/// writes to the journal (`$JOURNAL_STREAM` is set), each line starts with a `<N>` syslog priority
/// and the time is left out, since journald records it.
public struct LineLogHandler: LogHandler {
    /// Where lines go.
    public typealias Sink = @Sendable (String) -> Void

    /// The line format.
    public var format: LogFormat
    /// Whether lines carry a `<N>` priority prefix for journald.
    public var journald: Bool
    /// The minimum level logged.
    public var logLevel: Logger.Level
    /// Metadata attached to every event of this handler.
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: Sink

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - label: The logger label (added as `logger=` only when it is not `sift`).
    ///   - format: The line format.
    ///   - level: The minimum level.
    ///   - journald: Whether to prefix priorities and drop the timestamp.
    ///   - sink: Receives each line without its trailing newline.
    public init(label: String, format: LogFormat, level: Logger.Level, journald: Bool, sink: @escaping Sink) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.journald = journald
        self.sink = sink
    }

    /// A sink writing whole lines to standard error with one `write(2)` each.
    public static let standardError: Sink = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(2, base + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Gets or sets one metadata value of this handler.
    ///
    /// - Parameter key: The metadata key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Formats and writes one event.
    ///
    /// - Parameter event: The event.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        let line = Self.render(
            level: event.level,
            message: event.message.description,
            metadata: merged,
            label: label,
            format: format,
            journald: journald,
            time: Date()
        )
        sink(line)
    }

    /// Renders one line (no trailing newline).
    ///
    /// - Parameters:
    ///   - level: The level.
    ///   - message: The message.
    ///   - metadata: Metadata, rendered in sorted key order.
    ///   - label: The logger label.
    ///   - format: The line format.
    ///   - journald: Whether to add a `<N>` prefix and omit the time.
    ///   - time: The event time.
    /// - Returns: The line.
    public static func render(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        label: String,
        format: LogFormat,
        journald: Bool,
        time: Date
    ) -> String {
        var fields: [(String, String)] = []
        if !journald {
            fields.append(("time", time.formatted(.iso8601)))
        }
        fields.append(("level", level.rawValue))
        if label != "sift" {
            fields.append(("logger", label))
        }
        fields.append(("msg", message))
        for key in metadata.keys.sorted() {
            if let value = metadata[key] {
                fields.append((key, flatten(value)))
            }
        }
        let prefix = journald ? "<\(syslogPriority(level))>" : ""
        switch format {
        case .logfmt:
            return prefix + fields.map { "\($0.0)=\(logfmtValue($0.1))" }.joined(separator: " ")
        case .json:
            return prefix + "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
        }
    }

    /// The syslog priority journald expects for a level.
    ///
    /// - Parameter level: The level.
    /// - Returns: 2 (critical) … 7 (debug).
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let array): "[" + array.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { "\($0):\(flatten(dictionary[$0] ?? ""))" }.joined(separator: ",") + "}"
        }
    }

    private static func logfmtValue(_ value: String) -> String {
        if value.isEmpty { return "\"\"" }
        let needsQuotes = value.utf8.contains { byte in
            byte <= 0x20 || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") || byte == 0x7F
        }
        guard needsQuotes else { return value }
        return jsonString(value)
    }

    private static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
