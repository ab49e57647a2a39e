public import Clustering
public import Extraction
public import Fetch
public import Fingerprint
import Foundation
public import Logging
public import Model

/// The daemon's complete, typed configuration.
///
/// Built once at start-up (and on SIGHUP) from, in decreasing precedence: `--set key=value` and the
/// dedicated command-line flags, `SIFT_*` environment variables (`SIFT_FETCH_TOTAL_TIMEOUT_SECONDS`
/// ↔ `fetch.total_timeout_seconds`), the YAML file (`--config FILE`, else `/etc/sift/sift.yaml` when
/// it exists), and the built-in defaults, which are identical to `config/sift.yaml`. Keys are the
/// snake-case forms of the property names, nested by section.
public struct Configuration: Codable, Sendable {
    /// Where the state database and the cluster directory live (`data_directory`).
    public var dataDirectory: String = "./data"
    /// Feeds to poll, by URL (`feeds`).
    public var feeds: [FeedSource] = []
    /// OPML files or plain lists (one URL a line, `#` comments) whose feeds are polled too (`feed_lists`).
    public var feedLists: [String] = []
    /// Per-feed settings keyed by feed URL or host (`feed_overrides`; file only): see ``FeedSettings``.
    public var feedOverrides: [String: FeedSettings] = [:]
    /// Default seconds between two polls of one feed (`poll_interval_seconds`).
    public var pollIntervalSeconds: Int = 900
    /// How many article pages are fetched and extracted at once (`page_concurrency`).
    public var pageConcurrency: Int = 8
    /// Days an article stays in the dedup index (`retention_days`); written clusters are kept.
    public var retentionDays: Int = 30
    /// The title of the JSON Feed written to the data directory (`feed_title`).
    public var feedTitle: String = "Sift"
    /// How many clusters the JSON Feed lists, newest first (`feed_items`).
    public var feedItems: Int = 100
    /// HTTP fetching (`fetch.*`).
    public var fetch: FetchOptions = FetchOptions()
    /// Backoff after failures and scheduling after successes (`retry.*`).
    public var retry: RetryPolicy = RetryPolicy()
    /// Article-body extraction (`extraction.*`).
    public var extraction: ExtractionOptions = ExtractionOptions()
    /// MinHash fingerprints (`fingerprint.*`).
    public var fingerprint: FingerprintParameters = FingerprintParameters()
    /// Near-duplicate clustering (`clustering.*`).
    public var clustering: ClusteringParameters = ClusteringParameters()
    /// Log output (`logging.*`).
    public var logging: LoggingSettings = LoggingSettings()
    /// The Prometheus endpoint (`metrics.*`).
    public var metrics: MetricsSettings = MetricsSettings()
    /// The state database (`state.*`).
    public var state: StateSettings = StateSettings()

    /// Creates the built-in default configuration (identical to `config/sift.yaml`).
    public init() {}

    /// Keys whose default is unset, with their types (they do not appear in the encoded defaults).
    static let optionalKeys: [String: ConfigLayers.Kind] = [
        "fetch.proxy": .string,
        "fetch.no_proxy": .string,
        "clustering.bands": .int,
        "clustering.rows": .int,
    ]

    /// The file read when no `--config` is given, if it exists.
    public static let defaultFilePath = "/etc/sift/sift.yaml"

    /// Loads and validates the configuration from every layer.
    ///
    /// - Parameters:
    ///   - configFile: The `--config` path (must exist), or `nil` for ``defaultFilePath`` if present.
    ///   - environment: The process environment; only `SIFT_*` variables are read.
    ///   - overrides: `key=value` texts (`--set` and the dedicated flags), later ones winning.
    ///   - defaultFile: Overrides ``defaultFilePath`` (tests pass `nil`).
    /// - Returns: The validated configuration.
    /// - Throws: ``DaemonError`` naming the key and the fix.
    public static func load(
        configFile: String?,
        environment: [String: String],
        overrides: [String] = [],
        defaultFile: String? = Configuration.defaultFilePath
    ) async throws(DaemonError) -> Configuration {
        let layers = try await ConfigLayers(
            configFile: configFile,
            defaultFile: defaultFile,
            environment: environment,
            overrides: overrides
        )
        var (configuration, _) = try layers.resolve(
            Configuration(),
            optionalKeys: optionalKeys,
            arrayOfObjects: ["feeds": "url"]
        )
        configuration.feedOverrides = try layers.feedOverrides()
        configuration.fetch.applyProxyEnvironment(environment)
        try configuration.validate()
        return configuration
    }

    /// Every configuration key, in the order `sift check-config` prints them.
    ///
    /// - Returns: Dotted snake-case keys.
    public static func allKeys() -> [String] {
        let present = (try? effectiveTree(of: Configuration()).leafKeys()) ?? []
        return present + optionalKeys.keys.sorted().filter { !present.contains($0) }
    }

    /// Keys of a YAML configuration file that are not configuration keys (likely typos), each with
    /// its line number: `fetch.total_timeout (line 12)`.
    ///
    /// Reads block-style mappings (the style of `config/sift.yaml`); flow mappings and block
    /// scalars are skipped.
    ///
    /// - Parameter path: The file.
    /// - Returns: The unknown keys, in file order; empty when the file cannot be read.
    public static func unknownKeys(inFile path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let known = Set(allKeys())
        let sections = Set(
            known.flatMap { key in
                let parts = key.split(separator: ".")
                return (1..<max(1, parts.count)).map { parts.prefix($0).joined(separator: ".") }
            })
        var stack: [(indent: Int, name: String)] = []
        var unknown: [String] = []
        var blockScalarIndent: Int?
        var overrideSection = false
        var overrideIndent: Int?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if let scalarIndent = blockScalarIndent {
                if indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if content.hasPrefix("-") { continue }
            if indent == 0 { overrideSection = content.hasPrefix(feedOverridesKey + ":") }
            if overrideSection {
                // `feed_overrides`: names are URLs or hosts, one level down the fields of an entry.
                if indent == 0 {
                    stack = []
                    continue
                }
                overrideIndent = overrideIndent ?? indent
                if indent > (overrideIndent ?? indent), let field = mappingKey(content),
                    !FeedSettings.fields.contains(where: { $0.name == field })
                {
                    unknown.append("\(feedOverridesKey).\(field) (line \(number + 1))")
                }
                continue
            }
            overrideIndent = nil
            guard let colon = content.firstIndex(of: ":") else { continue }
            let name = String(content[..<colon])
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let key = (stack.map(\.name) + [name]).joined(separator: ".")
            let rest = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("|") || rest.hasPrefix(">") { blockScalarIndent = indent }
            if rest.isEmpty || rest.hasPrefix("#") {
                stack.append((indent, name))
                if !sections.contains(key) && !known.contains(key) { unknown.append("\(key) (line \(number + 1))") }
            } else if !known.contains(key) {
                unknown.append("\(key) (line \(number + 1))")
            }
        }
        return unknown
    }

    /// Checks every value, reporting the first problem with its key and how to fix it.
    ///
    /// - Throws: ``DaemonError/invalidValue(key:value:fix:)``.
    public func validate() throws(DaemonError) {
        func require(_ condition: Bool, _ key: String, _ value: some CustomStringConvertible, _ fix: String)
            throws(DaemonError)
        {
            if !condition { throw .invalidValue(key: key, value: value.description, fix: fix) }
        }
        try require(!dataDirectory.isEmpty, "data_directory", dataDirectory, "give a directory path")
        try require(pollIntervalSeconds >= 10, "poll_interval_seconds", pollIntervalSeconds, "use 10 or more")
        try require((1...256).contains(pageConcurrency), "page_concurrency", pageConcurrency, "use 1 to 256")
        try require(retentionDays >= 1, "retention_days", retentionDays, "use 1 or more")
        try require(feedItems >= 1, "feed_items", feedItems, "use 1 or more")
        try require(
            (0...65_536).contains(state.mmapMegabytes), "state.mmap_megabytes", state.mmapMegabytes,
            "use 0 (off) to 65536")
        for (index, feed) in feeds.enumerated() {
            let lower = feed.url.lowercased()
            try require(
                lower.hasPrefix("http://") || lower.hasPrefix("https://"),
                "feeds[\(index)]",
                feed.url,
                "feed URLs must start with http:// or https://"
            )
            if let interval = feed.intervalSeconds {
                try require(interval >= 10, "feeds[\(index)].interval_seconds", interval, "use 10 or more")
            }
            if let timeout = feed.totalTimeoutSeconds {
                try require(
                    timeout > 0, "feeds[\(index)].total_timeout_seconds", timeout, "use a positive number of seconds")
            }
            if let maxBytes = feed.maxBytes {
                try require(maxBytes >= 1024, "feeds[\(index)].max_bytes", maxBytes, "use 1024 bytes or more")
            }
            if let maxRedirects = feed.maxRedirects {
                try require(
                    (0...20).contains(maxRedirects), "feeds[\(index)].max_redirects", maxRedirects, "use 0 to 20")
            }
        }
        for name in feedOverrides.keys.sorted() {
            guard let settings = feedOverrides[name] else { continue }
            let key = "\(Self.feedOverridesKey).\"\(name)\""
            let lower = name.lowercased()
            let isURL = lower.hasPrefix("http://") || lower.hasPrefix("https://")
            try require(
                isURL || (!name.contains("/") && !name.contains(" ") && !name.isEmpty), key, name,
                "name a feed by its http(s) URL or a host by its name")
            if let interval = settings.intervalSeconds {
                try require(interval >= 10, key + ".interval_seconds", interval, "use 10 or more")
            }
            if let timeout = settings.totalTimeoutSeconds {
                try require(timeout > 0, key + ".total_timeout_seconds", timeout, "use a positive number of seconds")
            }
            if let maxBytes = settings.maxBytes {
                try require(maxBytes >= 1024, key + ".max_bytes", maxBytes, "use 1024 bytes or more")
            }
            if let maxRedirects = settings.maxRedirects {
                try require((0...20).contains(maxRedirects), key + ".max_redirects", maxRedirects, "use 0 to 20")
            }
        }
        try require(
            fetch.connectTimeoutSeconds > 0, "fetch.connect_timeout_seconds", fetch.connectTimeoutSeconds,
            "use a positive number of seconds")
        try require(
            fetch.totalTimeoutSeconds > 0, "fetch.total_timeout_seconds", fetch.totalTimeoutSeconds,
            "use a positive number of seconds")
        try require(
            fetch.lowSpeedBytesPerSecond >= 0, "fetch.low_speed_bytes_per_second",
            fetch.lowSpeedBytesPerSecond, "use 0 (off) or more")
        try require(fetch.lowSpeedSeconds >= 0, "fetch.low_speed_seconds", fetch.lowSpeedSeconds, "use 0 or more")
        try require(fetch.maxFeedBytes >= 1024, "fetch.max_feed_bytes", fetch.maxFeedBytes, "use at least 1024")
        try require(fetch.maxPageBytes >= 1024, "fetch.max_page_bytes", fetch.maxPageBytes, "use at least 1024")
        try require((0...20).contains(fetch.maxRedirects), "fetch.max_redirects", fetch.maxRedirects, "use 0 to 20")
        try require(
            fetch.maxConcurrentTransfers >= 1, "fetch.max_concurrent_transfers",
            fetch.maxConcurrentTransfers, "use 1 or more")
        try require(
            fetch.maxConcurrentPerHost >= 1, "fetch.max_concurrent_per_host", fetch.maxConcurrentPerHost,
            "use 1 or more")
        try require(
            fetch.perHostDelaySeconds >= 0, "fetch.per_host_delay_seconds", fetch.perHostDelaySeconds,
            "use 0 or more")
        try require(!fetch.userAgent.isEmpty, "fetch.user_agent", fetch.userAgent, "give a User-Agent string")
        try require(
            retry.baseDelaySeconds > 0, "retry.base_delay_seconds", retry.baseDelaySeconds,
            "use a positive number of seconds")
        try require(
            retry.maxDelaySeconds >= retry.baseDelaySeconds, "retry.max_delay_seconds",
            retry.maxDelaySeconds, "use a value at least retry.base_delay_seconds")
        try require(
            (0...1).contains(retry.jitterFraction), "retry.jitter_fraction", retry.jitterFraction,
            "use a fraction between 0 and 1")
        try require(
            Logger.Level(rawValue: logging.level) != nil, "logging.level", logging.level,
            "use one of trace, debug, info, notice, warning, error, critical")
        try require(
            LogFormat(rawValue: logging.format) != nil, "logging.format", logging.format,
            "use logfmt or json")
        try require(
            logging.summaryIntervalSeconds >= 0, "logging.summary_interval_seconds",
            logging.summaryIntervalSeconds, "use 0 (off) or more")
        if metrics.enabled {
            try require(
                metrics.listenPort != nil, "metrics.listen", metrics.listen,
                "use 127.0.0.1:PORT (loopback only; PORT 1-65535, or 0 for a port picked at start-up and logged)")
        }
        do {
            try fingerprint.validate()
        } catch {
            throw .invalidValue(key: "fingerprint", value: "", fix: "\(error)")
        }
        do {
            _ = try clustering.banding(permutations: fingerprint.permutations)
        } catch {
            throw .invalidValue(key: "clustering", value: "", fix: "\(error)")
        }
    }

    /// The effective configuration as YAML, every key present (what `sift check-config` prints).
    ///
    /// - Returns: YAML text.
    public func renderYAML() -> String {
        guard let tree = try? Self.effectiveTree(of: self) else { return "" }
        return tree.yaml(indent: 0, optionalKeys: Array(Self.optionalKeys.keys), path: [])
    }

    static func effectiveTree(of configuration: Configuration) throws -> ConfigValueTree {
        let data = try JSONEncoder().encode(configuration)
        return try JSONDecoder().decode(ConfigValueTree.self, from: data)
    }
}

/// Log output settings (`logging.*`).
public struct LoggingSettings: Codable, Sendable, Hashable {
    /// Minimum level: trace, debug, info, notice, warning, error or critical (`logging.level`).
    public var level: String = "info"
    /// Line format: logfmt or json (`logging.format`).
    public var format: String = "logfmt"
    /// Seconds between two one-line summaries, 0 for none (`logging.summary_interval_seconds`).
    public var summaryIntervalSeconds: Int = 300

    /// Creates the default settings.
    public init() {}

    /// The parsed level (`info` if invalid; ``Configuration/validate()`` rejects invalid ones).
    public var logLevel: Logger.Level { Logger.Level(rawValue: level) ?? .info }
    /// The parsed format (`logfmt` if invalid).
    public var logFormat: LogFormat { LogFormat(rawValue: format) ?? .logfmt }
}

/// State database settings (`state.*`).
public struct StateSettings: Codable, Sendable, Hashable {
    /// Megabytes (MiB) of `state.sqlite` read through memory mapping, 0 for none
    /// (`state.mmap_megabytes`).
    ///
    /// Mapping makes reads cheaper, above all the start-up scan of every stored signature; but
    /// each mapped page read counts in the daemon's VmRSS (as RssFile, clean file pages the kernel
    /// reclaims under pressure) until it is evicted, so with a large value VmRSS follows the size
    /// of the database and looks like growth while the daemon's own memory (RssAnon) is flat.
    public var mmapMegabytes: Int = 64

    /// Creates the default settings.
    public init() {}

    /// ``mmapMegabytes`` in bytes.
    public var mmapBytes: Int { mmapMegabytes << 20 }
}

/// Prometheus endpoint settings (`metrics.*`).
public struct MetricsSettings: Codable, Sendable, Hashable {
    /// Whether the endpoint runs (`metrics.enabled`).
    public var enabled: Bool = false
    /// Where to listen (`metrics.listen`): `127.0.0.1:PORT` (or `localhost:PORT`), loopback
    /// only; port 0 lets the kernel pick one, which is logged at start-up.
    public var listen: String = "127.0.0.1:0"

    /// Creates the default settings.
    public init() {}

    /// The port of ``listen``, or `nil` when it is not `127.0.0.1:PORT` / `localhost:PORT`.
    public var listenPort: Int? {
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, ["127.0.0.1", "localhost"].contains(parts[0]),
            let port = Int(parts[1]), (0...65535).contains(port)
        else { return nil }
        return port
    }
}
