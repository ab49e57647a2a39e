import Foundation
public import Logging
public import Model
public import ServiceLifecycle
import UnixSignals

/// The daemon as a `Service`: polls the feeds on their schedule until graceful shutdown.
///
/// Notifies systemd (READY, STATUS after each pass, WATCHDOG at half of `$WATCHDOG_USEC`,
/// RELOADING/READY around a SIGHUP reload, STOPPING), logs a one-line summary periodically, and
/// on SIGHUP re-reads the configuration through `reload` and applies the feed list and intervals.
/// Graceful shutdown (SIGTERM/SIGINT via the `ServiceGroup`) lets the pass in progress finish
/// and ends the wait between passes at once.
public final class SiftService: Service, Sendable {
    /// Re-reads the configuration and feed lists.
    public typealias Reloader = @Sendable () async throws(DaemonError) -> (Configuration, [FeedSource])

    private let pipeline: Pipeline
    private let notifier: SystemdNotifier
    private let reloader: Reloader?
    private let logger: Logger

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - pipeline: The opened pipeline.
    ///   - notifier: The systemd notifier (disabled outside systemd).
    ///   - reloader: Called on SIGHUP; `nil` ignores SIGHUP.
    ///   - logger: Where events are logged.
    public init(pipeline: Pipeline, notifier: SystemdNotifier, reloader: Reloader?, logger: Logger) {
        self.pipeline = pipeline
        self.notifier = notifier
        self.reloader = reloader
        self.logger = logger
    }

    /// Runs passes until graceful shutdown.
    ///
    /// - Throws: Never in practice; failures inside a pass are logged and counted.
    public func run() async throws {
        notifier.ready(status: "started; \(pipeline.feeds.count) feeds")
        logger.notice(
            "daemon started",
            metadata: ["feeds": "\(pipeline.feeds.count)", "data.directory": "\(pipeline.dataDirectory)"]
        )
        await withTaskGroup(of: Void.self) { group in
            if let interval = notifier.watchdogPingIntervalSeconds {
                group.addTask { [notifier] in
                    while !Task.isCancelled {
                        notifier.watchdog()
                        try? await Task.sleep(for: .seconds(interval))
                    }
                }
            }
            if let reloader {
                group.addTask { [pipeline, notifier, logger] in
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        notifier.reloading()
                        do {
                            let (configuration, feeds) = try await reloader()
                            pipeline.reload(configuration: configuration, feeds: feeds)
                            logger.notice("configuration reloaded", metadata: ["feeds": "\(feeds.count)"])
                        } catch {
                            logger.error(
                                "reload failed; keeping the previous configuration",
                                metadata: [
                                    "error": "\(error)"
                                ])
                        }
                        notifier.ready(status: "reloaded; \(pipeline.feeds.count) feeds")
                    }
                }
            }
            group.addTask { [pipeline, logger] in
                while !Task.isCancelled {
                    let seconds = pipeline.configuration.logging.summaryIntervalSeconds
                    guard seconds > 0 else {
                        try? await Task.sleep(for: .seconds(60))
                        continue
                    }
                    try? await Task.sleep(for: .seconds(seconds))
                    if Task.isCancelled { break }
                    let totals = pipeline.totals
                    logger.info(
                        "summary",
                        metadata: [
                            "passes": "\(totals.passes)", "feeds.fetched": "\(totals.feedFetches)",
                            "feeds.failed": "\(totals.feedFailures)", "articles": "\(totals.articles)",
                            "duplicates": "\(totals.duplicates)", "clusters.created": "\(totals.clustersCreated)",
                            "articles.failed": "\(totals.articleFailures)", "bytes": "\(totals.fetchedBytes)",
                        ]
                    )
                }
            }
            await pollLoop()
            group.cancelAll()
        }
        notifier.stopping()
        logger.notice("daemon stopping")
        await pipeline.shutdown()
    }

    private func pollLoop() async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let summary = await pipeline.runPass(all: false)
            if summary.feedsPolled > 0 {
                logger.info("pass finished", metadata: Self.metadata(summary))
            }
            let totals = pipeline.totals
            notifier.status("articles=\(totals.articles) duplicates=\(totals.duplicates) last pass: \(summary)")
            let next = pipeline.nextDueDate() ?? Date().addingTimeInterval(60)
            let wait = min(60, max(1, next.timeIntervalSinceNow))
            _ = await cancelWhenGracefulShutdown {
                try? await Task.sleep(for: .seconds(wait))
            }
        }
    }

    static func metadata(_ summary: PassSummary) -> Logger.Metadata {
        [
            "feeds": "\(summary.feedsPolled)", "feeds.not_modified": "\(summary.feedsNotModified)",
            "feeds.failed": "\(summary.feedsFailed)", "entries": "\(summary.entries)",
            "articles.skipped": "\(summary.articlesSkipped)", "articles.added": "\(summary.articlesAdded)",
            "articles.failed": "\(summary.articlesFailed)", "clusters.created": "\(summary.clustersCreated)",
            "duplicates": "\(summary.duplicates)", "duration_ms": "\(Int(summary.durationSeconds * 1000))",
        ]
    }
}
