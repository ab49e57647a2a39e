import ClusterStore
import Clustering
import Extraction
import FeedParse
import Fetch
import Fingerprint
import Foundation
public import FoundationEssentials
public import Logging
public import Model
import ServiceLifecycle
import StateStore
import Synchronization

/// What one pass over the feeds did.
public struct PassSummary: Sendable, Hashable, CustomStringConvertible {
    /// Feeds fetched (including not-modified ones).
    public var feedsPolled = 0
    /// Feeds answered 304 Not Modified.
    public var feedsNotModified = 0
    /// Feeds that failed (fetch or parse).
    public var feedsFailed = 0
    /// Feed entries seen.
    public var entries = 0
    /// Entries whose article was already handled earlier.
    public var articlesSkipped = 0
    /// Articles fetched, extracted, fingerprinted, clustered and committed.
    public var articlesAdded = 0
    /// Articles that failed (fetch or extraction).
    public var articlesFailed = 0
    /// Articles that founded a new cluster.
    public var clustersCreated = 0
    /// Articles that joined an existing cluster (near-duplicates).
    public var duplicates = 0
    /// Wall-clock duration of the pass in seconds.
    public var durationSeconds = 0.0

    /// Creates an empty summary.
    public init() {}

    /// One line: `feeds=… not_modified=… failed_feeds=… entries=… added=… duplicates=…`.
    public var description: String {
        "feeds=\(feedsPolled) not_modified=\(feedsNotModified) failed_feeds=\(feedsFailed) entries=\(entries) "
            + "skipped=\(articlesSkipped) added=\(articlesAdded) failed_articles=\(articlesFailed) "
            + "clusters_created=\(clustersCreated) duplicates=\(duplicates) "
            + "duration_ms=\(Int(durationSeconds * 1000))"
    }

    mutating func add(_ other: PassSummary) {
        feedsPolled += other.feedsPolled
        feedsNotModified += other.feedsNotModified
        feedsFailed += other.feedsFailed
        entries += other.entries
        articlesSkipped += other.articlesSkipped
        articlesAdded += other.articlesAdded
        articlesFailed += other.articlesFailed
        clustersCreated += other.clustersCreated
        duplicates += other.duplicates
    }
}

/// The stages in order: fetch feed → parse → fetch pages → extract → boilerplate filter →
/// fingerprint → cluster → commit to the state database → write the cluster directory.
///
/// Open one per data directory (it holds the directory's lock). Article pages are fetched and
/// extracted concurrently; dedup and commit are serialized in one actor, so the change log stays
/// contiguous and the index is touched by one task at a time. A failing feed or page is logged
/// with stable keys, counted, and skipped; the pass goes on.
public final class Pipeline: Sendable {
    /// The configuration in force (replaced on reload).
    public var configuration: Configuration { state.withLock { $0.configuration } }
    /// The feeds polled (replaced on reload).
    public var feeds: [FeedSource] { state.withLock { $0.feeds } }
    /// Counters since start-up.
    public var totals: PipelineCounters { counters.withLock { $0 } }
    /// The data directory.
    public let dataDirectory: String

    private struct MutableState {
        var configuration: Configuration
        var feeds: [FeedSource]
        /// Whether `feeds` were written to the state database since start-up or the last reload.
        var feedsStored = false
    }

    private let state: Mutex<MutableState>
    private let counters = Mutex(PipelineCounters())
    private let fetcher: Fetcher
    private let database: StateDatabase
    private let directory: ClusterDirectory
    private let engine: DedupEngine
    private let logger: Logger

    /// Opens the data directory, the state database and the cluster directory, rebuilds the
    /// near-duplicate index from the stored signatures and reconciles the cluster directory with
    /// the database (events the log lacks are appended, the clusters they touch rewritten).
    ///
    /// - Parameters:
    ///   - configuration: The validated configuration.
    ///   - feeds: The feeds to poll (configured feeds plus those of the feed lists).
    ///   - logger: Where events are logged.
    /// - Throws: ``DaemonError/dataDirectory(path:message:)`` or ``DaemonError/state(path:message:)``
    ///   when the data directory cannot be used.
    public init(configuration: Configuration, feeds: [FeedSource], logger: Logger) async throws(DaemonError) {
        let path = configuration.dataDirectory
        self.dataDirectory = path
        self.logger = logger
        // Before the HTTP client, SQLite and the directory writer start their threads.
        HeapTrimmer.configure(environment: ProcessInfo.processInfo.environment)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .dataDirectory(path: path, message: ConfigLayers.oneLine("\(error.localizedDescription)"))
        }
        do {
            self.directory = try ClusterDirectory(
                path: path,
                signatureParameters: configuration.fingerprint.signatureParameters,
                logger: logger
            )
        } catch {
            throw .dataDirectory(path: path, message: "\(error)")
        }
        let databasePath = path + "/state.sqlite"
        do {
            self.database = try StateDatabase(path: databasePath, mmapSize: configuration.state.mmapBytes)
        } catch {
            throw .state(path: databasePath, message: "\(error)")
        }
        do {
            self.fetcher = try Fetcher(options: configuration.fetch, logger: logger)
        } catch {
            throw .dataDirectory(path: path, message: "cannot start the HTTP client: \(error)")
        }
        let engine: DedupEngine
        do {
            engine = try DedupEngine(
                fingerprint: configuration.fingerprint,
                clustering: configuration.clustering,
                database: database,
                directory: directory,
                feedTitle: configuration.feedTitle,
                feedItems: configuration.feedItems,
                retentionDays: configuration.retentionDays,
                logger: logger
            )
        } catch {
            throw .invalidValue(key: "clustering", value: "", fix: "\(error)")
        }
        self.engine = engine
        self.state = Mutex(MutableState(configuration: configuration, feeds: feeds))
        try await engine.restore()
        try await engine.reconcile()
    }

    /// Applies a reloaded configuration's feed list and intervals (fetch, extraction and dedup
    /// parameters take effect at the next start).
    ///
    /// - Parameters:
    ///   - configuration: The new configuration.
    ///   - feeds: The new feed list.
    public func reload(configuration: Configuration, feeds: [FeedSource]) {
        state.withLock { current in
            var updated = current.configuration
            updated.feeds = configuration.feeds
            updated.feedLists = configuration.feedLists
            updated.pollIntervalSeconds = configuration.pollIntervalSeconds
            updated.retry = configuration.retry
            updated.pageConcurrency = configuration.pageConcurrency
            updated.feedItems = configuration.feedItems
            updated.feedTitle = configuration.feedTitle
            updated.logging = configuration.logging
            updated.retentionDays = configuration.retentionDays
            current = MutableState(configuration: updated, feeds: feeds)
        }
    }

    /// Runs one pass over the feeds.
    ///
    /// - Parameters:
    ///   - all: `true` polls every enabled feed now (`run --once`, the demo); `false` only feeds
    ///     whose next attempt is due.
    ///   - now: The pass's clock.
    /// - Returns: What the pass did.
    public func runPass(all: Bool, now: Date = Date()) async -> PassSummary {
        let started = ContinuousClock.now
        let (configuration, feeds, feedsStored) = state.withLock { current in
            (current.configuration, current.feeds, current.feedsStored)
        }
        if !feedsStored {
            do {
                for feed in feeds { try database.upsertFeed(feed) }
                state.withLock { current in
                    if current.feeds == feeds { current.feedsStored = true }
                }
            } catch {
                logger.error("state write failed", metadata: ["error": "\(error)"])
            }
        }
        var due: [(FeedSource, FeedState?)] = []
        var seen = Set<String>()
        for configured in feeds {
            do {
                let stored = try database.feedState(url: configured.url)
                // A permanently redirected feed is polled at its new URL.
                var feed = configured
                feed.url = stored?.url ?? configured.url
                guard seen.insert(feed.url).inserted else { continue }
                if stored?.disabled == true { continue }
                if !all, let next = stored?.nextAttempt, next > now { continue }
                due.append((feed, stored))
            } catch {
                logger.error("state read failed", metadata: ["feed.url": "\(configured.url)", "error": "\(error)"])
            }
        }
        let evicted = await engine.evictExpired(now: now, retentionDays: configuration.retentionDays)
        if evicted > 0 {
            logger.info("articles past the retention window evicted from the index", metadata: ["count": "\(evicted)"])
        }
        var summary = PassSummary()
        let feedConcurrency = max(1, min(4, due.count))
        await withTaskGroup(of: PassSummary.self) { group in
            var iterator = due.makeIterator()
            for _ in 0..<feedConcurrency {
                guard let (feed, stored) = iterator.next() else { break }
                group.addTask { await self.process(feed: feed, stored: stored, configuration: configuration, now: now) }
            }
            for await result in group {
                summary.add(result)
                // On graceful shutdown, finish the feeds in progress and start no more.
                if Task.isShuttingDownGracefully { continue }
                if let (feed, stored) = iterator.next() {
                    group.addTask {
                        await self.process(feed: feed, stored: stored, configuration: configuration, now: now)
                    }
                }
            }
        }
        if summary.articlesAdded > 0 {
            await engine.writeFeed(title: configuration.feedTitle, items: configuration.feedItems)
        }
        // The pass ends when the cluster directory shows everything it committed.
        await engine.drain()
        // What the pass freed goes back to the kernel, so resident memory follows the live heap
        // instead of creeping up with the allocator's arenas (see HeapTrimmer).
        if summary.articlesAdded > 0 || summary.feedsPolled > 0 { HeapTrimmer.trim() }
        summary.durationSeconds = Self.seconds(ContinuousClock.now - started)
        counters.withLock { $0.record(summary) }
        return summary
    }

    /// The earliest next attempt among enabled feeds, or `nil` when none is scheduled.
    ///
    /// - Returns: The date of the next due feed.
    public func nextDueDate() -> Date? {
        feeds.compactMap { feed in
            guard let state = try? database.feedState(url: feed.url), !state.disabled else { return nil }
            return state.nextAttempt
        }.min()
    }

    /// The number of articles the near-duplicate index holds (those inside the retention window).
    public var indexedArticles: Int {
        get async { await engine.indexedCount }
    }

    /// The number of lines the boilerplate filter remembers (bounded by its capacity).
    public var boilerplateLines: Int {
        get async { await engine.boilerplateLines }
    }

    /// Stops the HTTP client. Call once, after the last pass.
    public func shutdown() async {
        await engine.drain()
        await fetcher.shutdown()
    }

    // MARK: - One feed

    private func process(feed: FeedSource, stored: FeedState?, configuration: Configuration, now: Date) async
        -> PassSummary
    {
        var summary = PassSummary()
        summary.feedsPolled = 1
        var feedURL = feed.url
        let request = FetchRequest(
            url: feed.url,
            kind: .feed,
            etag: stored?.etag,
            lastModified: stored?.lastModified,
            limits: FetchLimits(
                totalTimeoutSeconds: feed.totalTimeoutSeconds,
                maxBytes: feed.maxBytes,
                maxRedirects: feed.maxRedirects
            )
        )
        let interval = Double(feed.intervalSeconds ?? configuration.pollIntervalSeconds)
        let result: FetchResult
        do {
            result = try await fetcher.fetch(request)
        } catch {
            summary.feedsFailed = 1
            recordFeedFailure(url: feed.url, error: error, stored: stored, configuration: configuration, now: now)
            return summary
        }
        counters.withLock { $0.fetchedBytes += result.body.count }
        if let moved = result.permanentRedirectURL, moved != feed.url {
            do {
                try database.renameFeed(from: feed.url, to: moved)
                feedURL = moved
                logger.notice(
                    "feed moved permanently",
                    metadata: ["feed.url": "\(feed.url)", "feed.new_url": "\(moved)", "status": "\(result.status)"]
                )
            } catch {
                logger.error("feed rename failed", metadata: ["feed.url": "\(feed.url)", "error": "\(error)"])
            }
        }
        if result.notModified {
            summary.feedsNotModified = 1
            let delay = configuration.retry.delayAfterSuccess(
                intervalSeconds: interval,
                ttlSeconds: nil,
                cacheMaxAgeSeconds: result.cacheMaxAgeSeconds,
                randomUnit: Double.random(in: 0..<1)
            )
            try? database.recordFeedNotModified(url: feedURL, at: now, nextAttempt: now.addingTimeInterval(delay))
            logger.debug("feed not modified", metadata: ["feed.url": "\(feedURL)", "status": "304"])
            return summary
        }
        let parsed: ParsedFeed
        do {
            parsed = try FeedParser(maxBytes: configuration.fetch.maxFeedBytes)
                .parse(result.body, contentType: result.contentType, baseURL: result.finalURL)
            if parsed.format == .unknown {
                throw FeedParseError.malformed(parsed.warnings.first ?? "no RSS, Atom or JSON Feed document")
            }
        } catch {
            summary.feedsFailed = 1
            counters.withLock { $0.errors["parse", default: 0] += 1 }
            let failures = (stored?.consecutiveFailures ?? 0) + 1
            let delay = min(configuration.retry.maxDelaySeconds, interval * Double(failures))
            try? database.recordFeedFailure(
                url: feedURL, error: "\(error)", errorClass: "parse", at: now,
                nextAttempt: now.addingTimeInterval(delay)
            )
            logger.warning(
                "feed unparseable",
                metadata: ["feed.url": "\(feedURL)", "error": "\(error)", "error.class": "parse"]
            )
            return summary
        }
        // Feed titles may be sanitized HTML (an Atom type="html" title); outlets are plain text.
        let outlet = feed.title ?? parsed.title.flatMap(FeedText.plainText)
        let (articles, complete) = await processEntries(
            parsed.entries,
            feedURL: feedURL,
            outlet: outlet,
            baseURL: result.finalURL,
            configuration: configuration,
            now: now
        )
        summary.add(articles)
        summary.feedsPolled = 1
        guard complete else {
            // Shutting down: the feed's state is left as it was, so the next start fetches it
            // again and handles the articles not reached (those committed are not redone).
            logger.notice("feed abandoned at shutdown", metadata: ["feed.url": "\(feedURL)"])
            return summary
        }
        // Validators are kept only when every article was handled: a failed article is retried
        // when the next poll fetches the whole feed again (up to the store's attempt limit).
        let keepValidators = articles.articlesFailed == 0
        let delay = configuration.retry.delayAfterSuccess(
            intervalSeconds: interval,
            ttlSeconds: parsed.ttlSeconds,
            cacheMaxAgeSeconds: result.cacheMaxAgeSeconds,
            randomUnit: Double.random(in: 0..<1)
        )
        do {
            try database.recordFeedSuccess(
                url: feedURL,
                etag: keepValidators ? result.etag : nil,
                lastModified: keepValidators ? result.lastModified : nil,
                at: now,
                nextAttempt: now.addingTimeInterval(delay)
            )
        } catch {
            logger.error("state write failed", metadata: ["feed.url": "\(feedURL)", "error": "\(error)"])
        }
        logger.info(
            "feed polled",
            metadata: [
                "feed.url": "\(feedURL)", "status": "\(result.status)", "bytes": "\(result.body.count)",
                "duration_ms": "\(Int(result.durationSeconds * 1000))", "entries": "\(parsed.entries.count)",
                "articles.added": "\(articles.articlesAdded)", "articles.failed": "\(articles.articlesFailed)",
            ]
        )
        return summary
    }

    private func recordFeedFailure(
        url: String,
        error: FetchError,
        stored: FeedState?,
        configuration: Configuration,
        now: Date
    ) {
        counters.withLock { $0.errors[error.errorClass, default: 0] += 1 }
        if case .gone = error {
            try? database.disableFeed(url: url, reason: "410 Gone")
            logger.warning(
                "feed gone, disabled",
                metadata: ["feed.url": "\(url)", "status": "410", "error.class": "\(error.errorClass)"]
            )
            return
        }
        let failures = (stored?.consecutiveFailures ?? 0) + 1
        let delay = configuration.retry.delayAfterFailure(
            error,
            consecutiveFailures: failures,
            randomUnit: Double.random(in: 0..<1)
        )
        try? database.recordFeedFailure(
            url: url,
            error: "\(error)",
            errorClass: error.errorClass,
            at: now,
            nextAttempt: now.addingTimeInterval(delay)
        )
        logger.warning(
            "feed fetch failed",
            metadata: [
                "feed.url": "\(url)", "error": "\(error)", "error.class": "\(error.errorClass)",
                "retry_in_s": "\(Int(delay))",
            ]
        )
    }

    // MARK: - Articles

    private struct Candidate: Sendable {
        var url: String
        var entry: FeedEntry
    }

    private func processEntries(
        _ entries: [FeedEntry],
        feedURL: String,
        outlet: String?,
        baseURL: String,
        configuration: Configuration,
        now: Date
    ) async -> (PassSummary, complete: Bool) {
        var summary = PassSummary()
        var abandoned = false
        var candidates: [Candidate] = []
        var seen = Set<String>()
        for entry in entries {
            guard let link = entry.link else { continue }
            summary.entries += 1
            guard let url = URLCanonicalizer.canonicalize(link, relativeTo: baseURL) else {
                summary.articlesFailed += 1
                logger.warning("entry link unusable", metadata: ["feed.url": "\(feedURL)", "article.url": "\(link)"])
                continue
            }
            guard seen.insert(url).inserted else { continue }
            if (try? database.hasArticle(url: url)) == true {
                summary.articlesSkipped += 1
                continue
            }
            candidates.append(Candidate(url: url, entry: entry))
        }
        let limit = max(1, configuration.pageConcurrency)
        await withTaskGroup(of: PassSummary.self) { group in
            var iterator = candidates.makeIterator()
            for _ in 0..<limit {
                guard let candidate = iterator.next() else { break }
                group.addTask {
                    await self.processArticle(
                        candidate, feedURL: feedURL, outlet: outlet, configuration: configuration, now: now
                    )
                }
            }
            for await result in group {
                summary.add(result)
                if Task.isShuttingDownGracefully {
                    abandoned = true
                    continue
                }
                if let candidate = iterator.next() {
                    group.addTask {
                        await self.processArticle(
                            candidate, feedURL: feedURL, outlet: outlet, configuration: configuration, now: now
                        )
                    }
                }
            }
        }
        return (summary, !abandoned)
    }

    private func processArticle(
        _ candidate: Candidate,
        feedURL: String,
        outlet: String?,
        configuration: Configuration,
        now: Date
    ) async -> PassSummary {
        var summary = PassSummary()
        let url = candidate.url
        let result: FetchResult
        do {
            result = try await fetcher.fetch(FetchRequest(url: url, kind: .page))
        } catch {
            counters.withLock { $0.errors[error.errorClass, default: 0] += 1 }
            summary.articlesFailed = 1
            try? database.markFailedArticle(url: url, feedURL: feedURL, error: "\(error)", at: now)
            logger.warning(
                "article fetch failed",
                metadata: [
                    "feed.url": "\(feedURL)", "article.url": "\(url)", "error": "\(error)",
                    "error.class": "\(error.errorClass)",
                ]
            )
            return summary
        }
        counters.withLock { $0.fetchedBytes += result.body.count }
        var article: ExtractedArticle
        do {
            article = try Extractor(options: configuration.extraction)
                .extract(html: result.body, url: result.finalURL, contentType: result.contentType)
        } catch {
            counters.withLock { $0.errors["extract", default: 0] += 1 }
            summary.articlesFailed = 1
            try? database.markFailedArticle(url: url, feedURL: feedURL, error: "\(error)", at: now)
            logger.warning(
                "article extraction failed",
                metadata: [
                    "feed.url": "\(feedURL)", "article.url": "\(url)", "error": "\(error)", "error.class": "extract",
                ]
            )
            return summary
        }
        if article.title == nil { article.title = candidate.entry.title.flatMap(FeedText.plainText) }
        if article.published == nil { article.published = candidate.entry.published ?? candidate.entry.updated }
        let item = DedupEngine.Item(
            url: url,
            feedURL: feedURL,
            outlet: outlet,
            site: Self.site(of: url),
            article: article,
            fetched: now
        )
        do {
            guard let outcome = try await engine.add(item) else {
                summary.articlesSkipped = 1
                return summary
            }
            summary.articlesAdded = 1
            if outcome.isNewCluster { summary.clustersCreated = 1 } else { summary.duplicates = 1 }
            logger.info(
                outcome.isNewCluster ? "article clustered (new)" : "article clustered (duplicate)",
                metadata: [
                    "feed.url": "\(feedURL)", "article.url": "\(url)", "cluster.id": "\(outcome.clusterID)",
                    "similarity": "\(String(format: "%.3f", outcome.similarity))", "bytes": "\(result.body.count)",
                    "duration_ms": "\(Int(result.durationSeconds * 1000))",
                ]
            )
        } catch {
            summary.articlesFailed = 1
            counters.withLock { $0.errors["store", default: 0] += 1 }
            logger.error("article commit failed", metadata: ["article.url": "\(url)", "error": "\(error)"])
        }
        return summary
    }

    /// The site an article belongs to, for learning its boilerplate lines: the host, plus the
    /// first path segment when the host is a loopback or IP-literal address (several local sites
    /// then share one host, as in the demo).
    static func site(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else {
            return url
        }
        let isLocal = host == "localhost" || host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        guard isLocal else { return host }
        let first = components.path.split(separator: "/").first.map(String.init) ?? ""
        return host + (components.port.map { ":\($0)" } ?? "") + "/" + first
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Counters since start-up (for the periodic summary and the metrics endpoint).
public struct PipelineCounters: Sendable, Hashable {
    /// Passes run.
    public var passes = 0
    /// Feed fetches (including 304s).
    public var feedFetches = 0
    /// Feeds answered 304.
    public var feedsNotModified = 0
    /// Bytes of response bodies received.
    public var fetchedBytes = 0
    /// Articles committed.
    public var articles = 0
    /// Articles that joined an existing cluster.
    public var duplicates = 0
    /// Clusters founded.
    public var clustersCreated = 0
    /// Article failures.
    public var articleFailures = 0
    /// Feed failures.
    public var feedFailures = 0
    /// Failures by class (`timeout`, `http_5xx`, `parse`, `extract`, …).
    public var errors: [String: Int] = [:]

    /// Creates zeroed counters.
    public init() {}

    mutating func record(_ summary: PassSummary) {
        passes += 1
        feedFetches += summary.feedsPolled
        feedsNotModified += summary.feedsNotModified
        articles += summary.articlesAdded
        duplicates += summary.duplicates
        clustersCreated += summary.clustersCreated
        articleFailures += summary.articlesFailed
        feedFailures += summary.feedsFailed
    }
}
