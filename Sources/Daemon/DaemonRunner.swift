import FeedParse
public import Foundation
public import Logging
public import Model
import ServiceLifecycle
import UnixSignals

/// The entry points the `sift` command calls: `run`, `run --once`, `check-config`.
public enum DaemonRunner {
    /// What `sift run` was given on its command line.
    public struct Options: Sendable {
        /// `--config FILE`.
        public var configFile: String?
        /// `--set key=value` (and the dedicated flags, translated to keys).
        public var overrides: [String]
        /// `--feeds FILE` lists added to the configured ones.
        public var extraFeedLists: [String]
        /// The process environment.
        public var environment: [String: String]
        /// Overrides ``Configuration/defaultFilePath`` (tests use `nil`).
        public var defaultFile: String?

        /// Creates options.
        ///
        /// - Parameters:
        ///   - configFile: `--config FILE`.
        ///   - overrides: `key=value` overrides.
        ///   - extraFeedLists: `--feeds FILE` lists.
        ///   - environment: The environment.
        ///   - defaultFile: The default configuration file, if it exists.
        public init(
            configFile: String? = nil,
            overrides: [String] = [],
            extraFeedLists: [String] = [],
            environment: [String: String] = ProcessInfo.processInfo.environment,
            defaultFile: String? = Configuration.defaultFilePath
        ) {
            self.configFile = configFile
            self.overrides = overrides
            self.extraFeedLists = extraFeedLists
            self.environment = environment
            self.defaultFile = defaultFile
        }
    }

    /// Loads the configuration and the feeds it names (configured feeds, then every list).
    ///
    /// - Parameter options: The command-line options.
    /// - Returns: The configuration and the de-duplicated feed list.
    /// - Throws: ``DaemonError`` for any configuration or feed-list problem.
    public static func load(_ options: Options) async throws(DaemonError) -> (Configuration, [FeedSource]) {
        var configuration = try await Configuration.load(
            configFile: options.configFile,
            environment: options.environment,
            overrides: options.overrides,
            defaultFile: options.defaultFile
        )
        configuration.feedLists += options.extraFeedLists
        let feeds = try FeedLists.resolve(configuration: configuration)
        return (configuration, feeds)
    }

    /// A logger writing one line per event to standard error in the configured format.
    ///
    /// - Parameters:
    ///   - configuration: The logging settings to use.
    ///   - environment: The environment (`JOURNAL_STREAM` turns on journald priorities).
    ///   - sink: Where lines go (standard error by default).
    /// - Returns: The logger.
    public static func makeLogger(
        _ configuration: Configuration,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        sink: @escaping LineLogHandler.Sink = LineLogHandler.standardError
    ) -> Logger {
        let journald = environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
        return Logger(label: "sift") { label in
            LineLogHandler(
                label: label,
                format: configuration.logging.logFormat,
                level: configuration.logging.logLevel,
                journald: journald,
                sink: sink
            )
        }
    }

    /// Logs the keys of the configuration file that are not configuration keys.
    ///
    /// - Parameters:
    ///   - options: The command-line options (the file is `--config`, else the default file).
    ///   - logger: Where to log.
    public static func warnAboutUnknownKeys(_ options: Options, logger: Logger) {
        guard let (path, keys) = unknownKeys(options) else { return }
        for key in keys {
            logger.warning(
                "unknown configuration key ignored (run `sift check-config` to list the keys)",
                metadata: ["key": "\(key)", "file": "\(path)"]
            )
        }
    }

    /// The configuration file the options read (the `--config` file, else the default file if it
    /// exists) and the keys in it that are not configuration keys, with their line numbers.
    ///
    /// - Parameter options: The command-line options.
    /// - Returns: The file and its unknown keys, or `nil` when no file is read.
    public static func unknownKeys(_ options: Options) -> (path: String, keys: [String])? {
        guard let path = options.configFile ?? options.defaultFile, FileManager.default.fileExists(atPath: path)
        else { return nil }
        return (path, Configuration.unknownKeys(inFile: path))
    }

    private static func warnIfNoFeeds(_ feeds: [FeedSource], logger: Logger) {
        if feeds.isEmpty {
            logger.warning("no feeds configured: set feeds or feed_lists in the configuration, or pass --feeds FILE")
        }
    }

    /// `sift run --once`: one pass over every enabled feed.
    ///
    /// - Parameters:
    ///   - options: The command-line options.
    ///   - logger: Overrides the logger built from the configuration.
    /// - Returns: What the pass did.
    /// - Throws: ``DaemonError`` when the configuration or the data directory is unusable.
    public static func runOnce(_ options: Options, logger: Logger? = nil) async throws(DaemonError) -> PassSummary {
        let (configuration, feeds) = try await load(options)
        let logger = logger ?? makeLogger(configuration, environment: options.environment)
        warnAboutUnknownKeys(options, logger: logger)
        warnIfNoFeeds(feeds, logger: logger)
        let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: logger)
        let summary = await pipeline.runPass(all: true)
        await pipeline.shutdown()
        logger.notice("pass finished", metadata: SiftService.metadata(summary))
        return summary
    }

    /// `sift run`: the daemon, until SIGTERM or SIGINT.
    ///
    /// - Parameter options: The command-line options.
    /// - Throws: ``DaemonError`` when the configuration or the data directory is unusable.
    public static func runService(_ options: Options) async throws(DaemonError) {
        let (configuration, feeds) = try await load(options)
        let logger = makeLogger(configuration, environment: options.environment)
        warnAboutUnknownKeys(options, logger: logger)
        warnIfNoFeeds(feeds, logger: logger)
        let notifier = SystemdNotifier(environment: options.environment)
        let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: logger)
        var metrics: MetricsEndpoint?
        if configuration.metrics.enabled {
            let endpoint = try MetricsEndpoint(pipeline: pipeline, port: configuration.metrics.listenPort ?? 0)
            logger.notice("metrics endpoint listening", metadata: ["url": "\(endpoint.origin)/metrics"])
            metrics = endpoint
        }
        defer { metrics?.stop() }
        let service = SiftService(
            pipeline: pipeline,
            notifier: notifier,
            reloader: { () async throws(DaemonError) -> (Configuration, [FeedSource]) in
                try await load(options)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            throw .server(message: "service group failed: \(error)")
        }
    }
}

/// Reads the feeds of feed lists: OPML files, or plain lists with one URL a line and `#` comments.
public enum FeedLists {
    /// The configured feeds followed by those of every list, each URL once, with their
    /// `feed_overrides` settings applied.
    ///
    /// - Parameter configuration: The configuration.
    /// - Returns: The feeds.
    /// - Throws: ``DaemonError/feedListUnreadable(path:message:)``.
    public static func resolve(configuration: Configuration) throws(DaemonError) -> [FeedSource] {
        var feeds = configuration.feeds
        for path in configuration.feedLists {
            feeds += try read(path: path)
        }
        var seen = Set<String>()
        return configuration.applyingFeedOverrides(to: feeds.filter { seen.insert($0.url).inserted })
    }

    /// The feeds of one list file (OPML sniffed by its first non-blank character being `<`).
    ///
    /// - Parameter path: The file.
    /// - Returns: Its feeds.
    /// - Throws: ``DaemonError/feedListUnreadable(path:message:)``.
    public static func read(path: String) throws(DaemonError) -> [FeedSource] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .feedListUnreadable(path: path, message: "no such file or not readable")
        }
        do {
            return try FeedListParser.feeds(inFile: [UInt8](data))
        } catch {
            throw .feedListUnreadable(path: path, message: "\(error)")
        }
    }
}
