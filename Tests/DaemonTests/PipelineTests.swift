import ClusterStore
import Clustering
import Fetch
import Foundation
import HTTPServer
import Logging
import Model
import StateStore
import Synchronization
import Testing

@testable import Daemon

/// Runs the real pipeline (libcurl, libxml2, MinHash, SQLite, cluster files) against the bundled
/// sample site served on loopback.
@Suite(.serialized)
struct PipelineTests {
    static let site = repositoryRoot + "/seeds/site"

    private func configuration(dataDirectory: String, feeds: [FeedSource]) -> Configuration {
        var configuration = Configuration()
        configuration.dataDirectory = dataDirectory
        configuration.feeds = feeds
        configuration.fetch.allowPrivateAddresses = true
        configuration.fetch.perHostDelaySeconds = 0
        configuration.fetch.maxConcurrentPerHost = 8
        configuration.fetch.totalTimeoutSeconds = 10
        configuration.fetch.connectTimeoutSeconds = 2
        return configuration
    }

    private func startSite() throws -> LoopbackHTTPServer {
        let origin = OriginBox()
        let server = try LoopbackHTTPServer(
            maxLifetimeSeconds: 60,
            handler: LoopbackHTTPServer.staticSite(root: Self.site, origin: { origin.value })
        )
        origin.set(server.origin)
        return server
    }

    /// The partition of article paths in a cluster directory.
    private func partition(of directory: String, origin: String) throws -> Set<Set<String>> {
        let clusters = try ClusterDirectoryReader(path: directory).clusters()
        return Set(clusters.map { cluster in Set(cluster.members.map { String($0.url.dropFirst(origin.count)) }) })
    }

    /// Opens a pipeline, runs passes, shuts it down and lets it go (releasing the directory lock).
    private func passes(
        _ count: Int,
        configuration: Configuration,
        feeds: [FeedSource],
        logger: Logger = quietLogger
    ) async throws -> [PassSummary] {
        let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: logger)
        var summaries: [PassSummary] = []
        for _ in 0..<count {
            summaries.append(await pipeline.runPass(all: true))
        }
        await pipeline.shutdown()
        return summaries
    }

    private func expectedPartition() throws -> Set<Set<String>> {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.site + "/expected-clusters.json"))
        let groups = try JSONDecoder().decode([[String]].self, from: data)
        return Set(groups.map(Set.init))
    }

    @Test func onePassOverTheSampleSiteGroupsEveryStoryAndResumesWithoutRepeating() async throws {
        let server = try startSite()
        defer { server.stop() }
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let feeds = try Demo.feedSources(site: Self.site, origin: server.origin)
        let configuration = configuration(dataDirectory: data, feeds: feeds)
        let logs = LineCollector()

        let summaries = try await passes(2, configuration: configuration, feeds: feeds, logger: logs.logger())
        let first = summaries[0]
        let expected = try expectedPartition()
        let articleCount = expected.reduce(0) { $0 + $1.count }
        #expect(first.feedsPolled == feeds.count)
        #expect(first.feedsFailed == 0)
        #expect(first.articlesFailed == 0)
        #expect(first.articlesAdded == articleCount)
        #expect(first.clustersCreated == expected.count)
        #expect(try partition(of: data, origin: server.origin) == expected)
        let events = try ClusterDirectoryReader(path: data).events(after: 0)
        #expect(events.map(\.sequence) == Array(1...Int64(articleCount)))

        // A second pass finds nothing new: every feed answers 304 with the stored validators.
        #expect(summaries[1].articlesAdded == 0)
        #expect(summaries[1].feedsNotModified == feeds.count)

        // A restart on the same directory rebuilds the index and does nothing twice.
        let third = try await passes(1, configuration: configuration, feeds: feeds)[0]
        #expect(third.articlesAdded == 0)
        #expect(try ClusterDirectoryReader(path: data).events(after: 0).count == articleCount)
        #expect(try partition(of: data, origin: server.origin) == expected)
        #expect(logs.lines.contains { $0.contains("msg=\"feed polled\"") && $0.contains("feed.url=") })
    }

    @Test func restartReconcilesEventsTheDirectoryLogLacks() async throws {
        let server = try startSite()
        defer { server.stop() }
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let feeds = try Demo.feedSources(site: Self.site, origin: server.origin)
        let configuration = configuration(dataDirectory: data, feeds: Array(feeds.prefix(1)))
        let pass = try await passes(1, configuration: configuration, feeds: Array(feeds.prefix(1)))[0]
        #expect(pass.articlesAdded > 0)

        // Simulate a crash after the database commits but before the directory writes: drop the
        // log and the cluster files.
        try FileManager.default.removeItem(atPath: data + "/events.jsonl")
        try FileManager.default.removeItem(atPath: data + "/clusters")
        try FileManager.default.createDirectory(atPath: data + "/clusters", withIntermediateDirectories: true)
        let again = try await passes(1, configuration: configuration, feeds: Array(feeds.prefix(1)))[0]
        #expect(again.articlesAdded == 0)
        let reader = try ClusterDirectoryReader(path: data)
        #expect(try reader.events(after: 0).count == pass.articlesAdded)
        #expect(try reader.clusters().count == pass.clustersCreated)
    }

    @Test func failingFeedsAndPagesAreLoggedAndCountedAndTheRestFlows() async throws {
        let site = try startSite()
        defer { site.stop() }
        let good = try #require(try Demo.feedSources(site: Self.site, origin: site.origin).first)
        let hostile = try LoopbackHTTPServer(maxLifetimeSeconds: 60) { request in
            switch request.path {
            case "/malformed.xml":
                return .text("this is not a feed <<<", contentType: "application/rss+xml")
            case "/broken-pages.xml":
                let origin = "http://127.0.0.1"
                _ = origin
                return .text(
                    """
                    <?xml version="1.0" encoding="utf-8"?>
                    <rss version="2.0"><channel><title>Broken</title>
                    <item><title>Missing</title><link>/missing.html</link></item>
                    <item><title>Empty</title><link>/empty.html</link></item>
                    <item><title>Error</title><link>/error.html</link></item>
                    </channel></rss>
                    """,
                    contentType: "application/rss+xml"
                )
            case "/empty.html":
                return .text("<html><body></body></html>", contentType: "text/html")
            case "/error.html":
                return .text("boom", status: 500)
            default:
                return .notFound
            }
        }
        defer { hostile.stop() }
        let closed = FeedSource(url: "http://127.0.0.1:\(closedLoopbackPort())/rss.xml")
        let malformed = FeedSource(url: hostile.origin + "/malformed.xml")
        let broken = FeedSource(url: hostile.origin + "/broken-pages.xml")
        let feeds = [closed, malformed, broken, good]
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let logs = LineCollector()
        let pipeline = try await Pipeline(
            configuration: configuration(dataDirectory: data, feeds: feeds), feeds: feeds, logger: logs.logger()
        )
        let summary = await pipeline.runPass(all: true)
        await pipeline.shutdown()

        #expect(summary.feedsPolled == 4)
        #expect(summary.feedsFailed == 2)
        #expect(summary.articlesFailed == 3)
        #expect(summary.articlesAdded > 0)
        let lines = logs.lines
        #expect(lines.contains { $0.contains("feed fetch failed") && $0.contains("error.class=connect") })
        #expect(lines.contains { $0.contains("feed unparseable") && $0.contains("/malformed.xml") })
        #expect(
            lines.contains {
                $0.contains("article fetch failed") && $0.contains("article.url=\(hostile.origin)/error.html")
            })
        #expect(lines.contains { $0.contains("article extraction failed") && $0.contains("/empty.html") })
        let status = try StatusReport.load(dataDirectory: data)
        let closedState = try #require(status.feeds.first { $0.url == closed.url })
        #expect(closedState.consecutiveFailures == 1)
        #expect(closedState.lastErrorClass == "connect")
        #expect(pipeline.totals.errors["connect"] == 1)
    }

    @Test func aGoneFeedIsDisabledAndAPermanentRedirectRenamesIt() async throws {
        let server = try LoopbackHTTPServer(maxLifetimeSeconds: 60) { request in
            switch request.path {
            case "/gone.xml": return .text("gone", status: 410)
            case "/old.xml": return .redirect(to: "/new.xml", status: 301)
            case "/new.xml":
                return .text(
                    "<rss version=\"2.0\"><channel><title>N</title></channel></rss>", contentType: "application/rss+xml"
                )
            default: return .notFound
            }
        }
        defer { server.stop() }
        let feeds = [FeedSource(url: server.origin + "/gone.xml"), FeedSource(url: server.origin + "/old.xml")]
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let pipeline = try await Pipeline(
            configuration: configuration(dataDirectory: data, feeds: feeds), feeds: feeds, logger: quietLogger
        )
        _ = await pipeline.runPass(all: true)
        await pipeline.shutdown()
        let status = try StatusReport.load(dataDirectory: data)
        #expect(status.feeds.first { $0.url == server.origin + "/gone.xml" }?.disabled == true)
        #expect(status.feeds.contains { $0.url == server.origin + "/new.xml" })
    }

    @Test func articlesPastTheRetentionWindowLeaveTheIndexButStayWritten() async throws {
        let server = try startSite()
        defer { server.stop() }
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let feeds = Array(try Demo.feedSources(site: Self.site, origin: server.origin).prefix(1))
        var configuration = configuration(dataDirectory: data, feeds: feeds)
        configuration.retentionDays = 30
        do {
            let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: quietLogger)
            let old = await pipeline.runPass(all: true, now: Date().addingTimeInterval(-40 * 86_400))
            #expect(old.articlesAdded > 0)
            #expect(await pipeline.indexedArticles == old.articlesAdded)
            _ = await pipeline.runPass(all: true)
            #expect(await pipeline.indexedArticles == 0)
            await pipeline.shutdown()
        }
        let reopened = try await Pipeline(configuration: configuration, feeds: feeds, logger: quietLogger)
        #expect(await reopened.indexedArticles == 0)
        await reopened.shutdown()
        #expect(try ClusterDirectoryReader(path: data).clusters().isEmpty == false)
    }

    @Test func runOnceWorksWithAFeedListAndNoConfigFile() async throws {
        let server = try startSite()
        defer { server.stop() }
        let data = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let list = data + "-feeds.txt"
        let urls = try Demo.feedSources(site: Self.site, origin: server.origin).map(\.url)
        try ("# sample site\n" + urls.joined(separator: "\n") + "\n").write(
            toFile: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: list) }
        let summary = try await DaemonRunner.runOnce(
            DaemonRunner.Options(
                overrides: [
                    "data_directory=\(data)", "fetch.allow_private_addresses=true", "fetch.per_host_delay_seconds=0",
                    "fetch.max_concurrent_per_host=8",
                ],
                extraFeedLists: [list],
                environment: [:],
                defaultFile: nil
            ),
            logger: quietLogger
        )
        #expect(summary.feedsPolled == urls.count)
        #expect(summary.articlesAdded == (try expectedPartition()).reduce(0) { $0 + $1.count })
    }

    @Test func runOnceRefusesAMissingConfigFile() async {
        await #expect {
            _ = try await DaemonRunner.runOnce(
                DaemonRunner.Options(configFile: "/nonexistent/sift.yaml", environment: [:], defaultFile: nil)
            )
        } throws: { error in
            "\(error)".hasPrefix("configuration file not found")
        }
    }

    @Test func runOnceRefusesAnUnusableDataDirectory() async throws {
        let file = makeTemporaryDirectory() + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        await #expect {
            _ = try await DaemonRunner.runOnce(
                DaemonRunner.Options(overrides: ["data_directory=\(file)"], environment: [:], defaultFile: nil),
                logger: quietLogger
            )
        } throws: { error in
            "\(error)".contains("data directory \(file) is unusable")
        }
    }

    @Test func documentIDsAreStableHexOfTheCanonicalURL() {
        let id = DedupEngine.documentID(for: "https://example.com/a")
        #expect(id.count == 16)
        #expect(id.allSatisfy { $0.isHexDigit })
        #expect(id == DedupEngine.documentID(for: "https://example.com/a"))
        #expect(id != DedupEngine.documentID(for: "https://example.com/b"))
    }
}
