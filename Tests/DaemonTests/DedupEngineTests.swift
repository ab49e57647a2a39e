import ClusterStore
import Foundation
import Model
import StateStore
import Testing

@testable import Daemon

/// Short news-style texts written for these tests.
enum LeadSamples {
    static let story = [
        """
        The city council approved on Tuesday the construction of a new bridge across the river, linking \
        the northern districts to the old town, cutting the daily commute of thousands of residents and \
        ending years of debate over the crossing, which engineers had described as the most urgent \
        transport project in the region since the ring road was finished.
        """,
        """
        The mayor said the project would take three years to complete and cost about two hundred million, \
        most of it funded by a regional development grant awarded last spring.
        """,
        """
        Opposition members criticised the plan, arguing that the money would be better spent on \
        repairing the existing bridges and extending the tram network to the suburbs.
        """,
    ]

    /// Another outlet's copy of ``story``, lightly edited, with sharing and "read also" lines.
    static let republished = [
        "Share: Facebook | X | WhatsApp",
        """
        City Desk - The city council approved on Tuesday the construction of a new bridge across the river, \
        linking the northern districts to the old town, cutting the daily commute of thousands of residents \
        and ending years of debate over the crossing, which engineers had described as the most urgent \
        transport project in the region since the ring road was finished.
        """,
        """
        The mayor said the project would take three years to complete and cost roughly two hundred million, \
        most of it funded by a regional development grant awarded last spring.
        """,
        """
        Opposition members criticised the plan, arguing that the money would be better spent on \
        repairing the existing bridges and extending the tram network to the suburbs.
        """,
        "Read also: the weather this weekend",
    ]

    /// An unrelated, short story whose only other paragraph is the first paragraph of ``story``:
    /// similar enough to it that only their different leads keep them apart.
    static let borrowing = [
        """
        Stock markets in the region fell sharply last week, weighed down by lower oil prices and growing \
        fears of a slowdown in the world economy.
        """,
        story[0],
    ]
}

/// The daemon's dedup engine against a real state database and cluster directory, across restarts.
struct DedupEngineTests {
    /// Opens an engine on a data directory and rebuilds its index from the state database, as a
    /// daemon start does; `body` runs with it, then everything is written and released.
    private func withEngine<T>(
        _ path: String,
        _ body: (DedupEngine, StateDatabase) async throws -> T
    ) async throws -> T {
        let configuration = Configuration()
        let database = try StateDatabase(path: path + "/state.sqlite")
        let directory = try ClusterDirectory(path: path, logger: quietLogger)
        let engine = try DedupEngine(
            fingerprint: configuration.fingerprint,
            clustering: configuration.clustering,
            database: database,
            directory: directory,
            feedTitle: "Test",
            feedItems: 10,
            retentionDays: configuration.retentionDays,
            logger: quietLogger
        )
        try await engine.restore()
        try await engine.reconcile()
        let result = try await body(engine, database)
        await engine.drain()
        return result
    }

    private func add(
        _ engine: DedupEngine,
        _ name: String,
        _ paragraphs: [String],
        fetched: Date = Date()
    ) async throws -> DedupEngine.Outcome {
        let item = DedupEngine.Item(
            url: "https://\(name).example/story",
            feedURL: "https://\(name).example/feed",
            outlet: name,
            site: "\(name).example",
            article: ExtractedArticle(title: "Story \(name)", paragraphs: paragraphs),
            fetched: fetched
        )
        return try #require(try await engine.add(item))
    }

    @Test func theLeadIsStoredWithTheArticle() async throws {
        let path = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withEngine(path) { engine, database in
            let outcome = try await add(engine, "a", LeadSamples.story)
            let stored = try #require(try database.article(documentID: outcome.clusterID))
            let lead = try #require(stored.lead)
            #expect(lead.parameters == stored.signature.parameters)
            #expect(lead.shingleCount > 0 && lead.shingleCount < stored.signature.shingleCount)
            #expect(try database.signatures().first?.lead == lead)
        }
    }

    @Test func aRestartKeepsTheBorrowedParagraphGuard() async throws {
        let path = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let story = try await withEngine(path) { engine, _ in
            try await add(engine, "a", LeadSamples.story).clusterID
        }
        // After the restart the index holds the story only as restored from the database.
        try await withEngine(path) { engine, _ in
            #expect(await engine.indexedCount == 1)
            let borrowing = try await add(engine, "b", LeadSamples.borrowing)
            #expect(borrowing.isNewCluster)
            let copy = try await add(engine, "c", LeadSamples.republished)
            #expect(!copy.isNewCluster)
            #expect(copy.clusterID == story)
        }
    }

    @Test func anArticleStoredWithoutALeadIsRestoredWithoutTheGuard() async throws {
        // The same story as an earlier version stored it (no lead): the borrowing article then
        // joins it, which is what the stored lead prevents.
        let original = makeTemporaryDirectory()
        let upgraded = makeTemporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: original)
            try? FileManager.default.removeItem(atPath: upgraded)
        }
        let story = try await withEngine(original) { engine, database in
            let id = try await add(engine, "a", LeadSamples.story).clusterID
            return try #require(try database.article(documentID: id))
        }
        var withoutLead = story
        withoutLead.lead = nil
        do {
            let database = try StateDatabase(path: upgraded + "/state.sqlite")
            try database.commit(article: withoutLead, isNewCluster: true, at: story.fetched)
            #expect(try database.signatures().first?.lead == nil)
        }
        try await withEngine(upgraded) { engine, _ in
            #expect(await engine.indexedCount == 1)
            let borrowing = try await add(engine, "b", LeadSamples.borrowing)
            #expect(borrowing.clusterID == story.clusterID)
        }
    }

    @Test func evictionForgetsTheArticleButKeepsItsCluster() async throws {
        let path = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let day = 86_400.0
        let now = Date()
        let old = now.addingTimeInterval(-31 * day)
        let story = try await withEngine(path) { engine, database in
            let story = try await add(engine, "a", LeadSamples.story, fetched: old).clusterID
            let recent = try await add(engine, "b", LeadSamples.borrowing, fetched: now).clusterID
            await engine.flush()
            #expect(await engine.evictExpired(now: now, retentionDays: 30) == 1)
            #expect(await engine.indexedCount == 1)
            // Evicted twice is evicted once.
            #expect(await engine.evictExpired(now: now, retentionDays: 30) == 0)
            // The signature is gone from the state database; the article, its cluster and its
            // event stay (so its URL is still known and its cluster file still written).
            #expect(try database.signatures().map(\.documentID) == [recent])
            #expect(try database.article(documentID: story) == nil)
            #expect(try database.hasArticle(url: "https://a.example/story"))
            #expect(try database.cluster(id: story)?.members.count == 1)
            #expect(try database.counts().articles == 2)
            // A copy of the evicted story no longer finds it: it founds a cluster of its own.
            let copy = try await add(engine, "c", LeadSamples.republished, fetched: now)
            #expect(copy.isNewCluster)
            return story
        }
        // A restart indexes only what is inside the window; the evicted article's cluster file stays.
        try await withEngine(path) { engine, _ in
            #expect(await engine.indexedCount == 2)
        }
        let reader = try ClusterDirectoryReader(path: path)
        #expect(try reader.clusters().contains { $0.id == story })
    }

    @Test func aRestartLeavesExpiredArticlesOutAndPrunesThem() async throws {
        let path = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = Date().addingTimeInterval(-40 * 86_400)
        try await withEngine(path) { engine, _ in
            _ = try await add(engine, "a", LeadSamples.story, fetched: old)
            _ = try await add(engine, "b", LeadSamples.borrowing)
        }
        let (indexed, signatures, articles) = try await withEngine(path) { engine, database in
            (await engine.indexedCount, try database.signatures().count, try database.counts().articles)
        }
        #expect(indexed == 1 && signatures == 1 && articles == 2)
    }
}
