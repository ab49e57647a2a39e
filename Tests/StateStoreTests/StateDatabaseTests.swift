import Foundation
import GRDB
import Model
import Testing

@testable import StateStore

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sift-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var database: String { path + "/state.sqlite" }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

let parameters = SignatureParameters(permutations: 4, seed: 0xDEAD_BEEF_CAFE_F00D, shingleSize: 5, schemeVersion: 1)
let epoch = Date(timeIntervalSince1970: 1_700_000_000)

func signature(_ base: UInt64) -> Signature {
    Signature(
        parameters: parameters, values: [base, base &+ 1, UInt64.max - base, base << 32], shingleCount: Int(base % 97))
}

func article(
    _ id: String,
    cluster: String,
    feed: String? = "https://a.example/feed",
    title: String? = nil,
    published: Date? = nil,
    fetched: Date = epoch,
    similarity: Double = 1
) -> StoredArticle {
    StoredArticle(
        documentID: id,
        url: "https://a.example/\(id)",
        feedURL: feed,
        outlet: "Outlet \(id)",
        title: title ?? "Title \(id)",
        published: published,
        fetched: fetched,
        signature: signature(UInt64(id.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })),
        clusterID: cluster,
        similarity: similarity,
        text: "Body of \(id)\nsecond paragraph é ✓"
    )
}

struct StateDatabaseTests {
    @Test func migrationsCreateAnEmptySchemaAndReopenCleanly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let database = try StateDatabase(path: directory.database)
            let counts = try database.counts()
            #expect(counts.feeds == 0 && counts.articles == 0 && counts.clusters == 0)
            #expect(try database.lastEventSequence() == 0)
            #expect(try database.meta("missing") == nil)
            #expect(try database.allClusters().isEmpty)
            #expect(try database.signatures().isEmpty)
        }
        let reopened = try StateDatabase(path: directory.database)
        #expect(try reopened.counts().articles == 0)
        let journal = try DatabaseQueue(path: directory.database).read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(journal == "wal")
    }

    @Test func aDatabaseOfAnEarlierSchemaIsMigratedForward() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let database = try StateDatabase(path: directory.database)
            try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        }
        // Roll the file back to migration 1, as an earlier version left it.
        try DatabaseQueue(path: directory.database).write { db in
            try db.execute(sql: "DROP INDEX clusters_updated")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '2-clusters-by-update'")
        }
        let database = try StateDatabase(path: directory.database)
        let state = try DatabaseQueue(path: directory.database).read { db in
            (
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                try db.indexes(on: "clusters").map(\.name)
            )
        }
        #expect(state.0 == ["1-initial", "2-clusters-by-update", "3-lead-signatures", "4-articles-by-fetch-time"])
        #expect(state.1.contains("clusters_updated"))
        #expect(try database.recentClusters(limit: 10).map(\.id) == ["a1"])
    }

    @Test func articlesOfTheSchemaBeforeLeadsAreRestoredWithoutALead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let database = try StateDatabase(path: directory.database)
            try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        }
        // Roll the file back to migration 2, as an earlier version left it.
        try DatabaseQueue(path: directory.database).write { db in
            try db.execute(sql: "ALTER TABLE signatures DROP COLUMN lead_vals")
            try db.execute(sql: "ALTER TABLE signatures DROP COLUMN lead_shingle_count")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '3-lead-signatures'")
        }
        let database = try StateDatabase(path: directory.database)
        let columns = try DatabaseQueue(path: directory.database).read { db in
            try db.columns(in: "signatures").map(\.name)
        }
        #expect(columns.contains("lead_vals") && columns.contains("lead_shingle_count"))
        var withLead = article("a2", cluster: "a1")
        withLead.lead = signature(7)
        try database.commit(article: withLead, isNewCluster: false, at: epoch)
        let loaded = try database.signatures()
        #expect(loaded.map(\.documentID) == ["a1", "a2"])
        #expect(loaded.first?.lead == nil)
        #expect(loaded.first?.signature == article("a1", cluster: "a1").signature)
        #expect(loaded.last?.lead == signature(7))
        #expect(try database.article(documentID: "a1")?.lead == nil)
        #expect(try database.article(documentID: "a2")?.lead == signature(7))
    }

    @Test func commitRecordsClustersAndContiguousEvents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)

        let first = try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        let second = try database.commit(
            article: article("a2", cluster: "a1", similarity: 0.8),
            isNewCluster: false,
            at: epoch + 10
        )
        let third = try database.commit(article: article("b1", cluster: "b1"), isNewCluster: true, at: epoch + 20)
        let fourth = try database.commit(
            article: article("a3", cluster: "a1", similarity: 0.7),
            isNewCluster: false,
            at: epoch + 30
        )

        #expect(first.map(\.sequence) == [1])
        #expect(first.first?.kind == .clusterCreated)
        #expect(second.first?.kind == .memberAdded)
        #expect(second.first?.similarity == 0.8)
        let recorded = first + second + third + fourth
        #expect(recorded.map(\.sequence) == [1, 2, 3, 4])
        #expect(try database.events(after: 0, limit: 100) == recorded)
        #expect(try database.events(after: 1, limit: 2) == Array(recorded[1...2]))
        #expect(try database.lastEventSequence() == 4)

        let cluster = try #require(try database.cluster(id: "a1"))
        #expect(cluster.members.map(\.documentID) == ["a1", "a2", "a3"])
        #expect(cluster.created == epoch)
        #expect(cluster.updated == epoch + 30)
        #expect(cluster.title == "Title a1")
        #expect(cluster.url == "https://a.example/a1")
        #expect(cluster.members[1].similarity == 0.8)
        #expect(cluster.members[1].feed == "https://a.example/feed")
        #expect(try database.allClusters().map(\.id) == ["a1", "b1"])
        #expect(try database.clusters(updatedSince: 3).map(\.id) == ["a1"])
        #expect(try database.clusters(updatedSince: 2).map(\.id) == ["a1", "b1"])
        #expect(try database.clusters(updatedSince: 4).isEmpty)
        #expect(try database.recentClusters(limit: 1).map(\.id) == ["a1"])
        #expect(try database.recentClusters(limit: 5).map(\.id) == ["a1", "b1"])
        #expect(try database.recentClusters(limit: 5).first?.members.count == 3)
        #expect(try database.recentClusters(limit: 0).isEmpty)
        #expect(try database.cluster(id: "nope") == nil)
        #expect(try database.articleText(documentID: "a2") == "Body of a2\nsecond paragraph é ✓")
        #expect(try database.articleText(documentID: "zz") == nil)
        #expect(try database.hasArticle(url: "https://a.example/a2"))
        #expect(try !database.hasArticle(url: "https://a.example/zz"))
        let counts = try database.counts()
        #expect(counts.articles == 4 && counts.clusters == 2)
    }

    @Test func representativeIsTheEarliestPublishedTitledMember() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        try database.commit(
            article: article("late", cluster: "late", published: epoch + 100),
            isNewCluster: true,
            at: epoch
        )
        try database.commit(
            article: article("early", cluster: "late", published: epoch + 50),
            isNewCluster: false,
            at: epoch
        )
        try database.commit(
            article: article("later", cluster: "late", published: epoch + 500),
            isNewCluster: false,
            at: epoch
        )
        let cluster = try #require(try database.cluster(id: "late"))
        #expect(cluster.title == "Title early")
        #expect(cluster.url == "https://a.example/early")
        #expect(cluster.id == "late")
    }

    @Test func failedCommitLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        try database.upsertFeed(FeedSource(url: "https://a.example/feed"))
        try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)

        // The same document again, a join of an unknown cluster, a second founding of a1.
        #expect(throws: StoreError.self) {
            try database.commit(article: article("a1", cluster: "a1"), isNewCluster: false, at: epoch)
        }
        #expect(throws: StoreError.self) {
            try database.commit(article: article("x1", cluster: "missing"), isNewCluster: false, at: epoch)
        }
        #expect(throws: StoreError.self) {
            try database.commit(article: article("x2", cluster: "a1"), isNewCluster: true, at: epoch)
        }
        var broken = article("x3", cluster: "x3")
        broken.signature.values.removeLast()
        #expect(throws: StoreError.self) {
            try database.commit(article: broken, isNewCluster: true, at: epoch)
        }

        #expect(try database.lastEventSequence() == 1)
        #expect(try database.counts().articles == 1)
        #expect(try database.counts().clusters == 1)
        #expect(try !database.hasArticle(url: "https://a.example/x1"))
        #expect(try database.articleText(documentID: "x2") == nil)
        #expect(try database.signatures().count == 1)
        #expect(try database.feedState(url: "https://a.example/feed")?.articleCount == 1)
        #expect(try database.cluster(id: "a1")?.members.count == 1)
        let next = try database.commit(article: article("a2", cluster: "a1"), isNewCluster: false, at: epoch)
        #expect(next.map(\.sequence) == [2])
    }

    @Test func aBatchCommitsInOrderInOneTransactionOrNotAtAll() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        try database.upsertFeed(FeedSource(url: "https://a.example/feed"))
        // A member may join a cluster founded earlier in the same batch.
        let events = try database.commit(batch: [
            (article("b1", cluster: "b1"), true),
            (article("b2", cluster: "b1", similarity: 0.8), false),
            (article("c1", cluster: "c1"), true),
        ])
        #expect(events.map(\.sequence) == [1, 2, 3])
        #expect(events.map(\.kind) == [.clusterCreated, .memberAdded, .clusterCreated])
        #expect(try database.cluster(id: "b1")?.members.map(\.documentID) == ["b1", "b2"])
        #expect(try database.feedState(url: "https://a.example/feed")?.articleCount == 3)

        // A conflict anywhere in the batch stores none of it.
        #expect(throws: StoreError.self) {
            try database.commit(batch: [
                (article("d1", cluster: "d1"), true),
                (article("b1", cluster: "b1"), false),
            ])
        }
        #expect(try database.lastEventSequence() == 3)
        #expect(try !database.hasArticle(url: "https://a.example/d1"))
        #expect(try database.commit(batch: []).isEmpty)
    }

    @Test func reopeningKeepsEverything() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var clusters: [ClusterRecord] = []
        var signatures: [String] = []
        var feeds: [FeedState] = []
        do {
            let database = try StateDatabase(path: directory.database)
            try database.upsertFeed(FeedSource(url: "https://a.example/feed", title: "A"))
            try database.recordFeedSuccess(
                url: "https://a.example/feed",
                etag: "\"v1\"",
                lastModified: "Tue, 14 Nov 2023 22:13:20 GMT",
                at: epoch,
                nextAttempt: epoch + 900.5
            )
            try database.commit(
                article: article("a1", cluster: "a1", published: epoch - 3600.25),
                isNewCluster: true,
                at: epoch
            )
            try database.commit(article: article("a2", cluster: "a1", similarity: 0.5), isNewCluster: false, at: epoch)
            try database.markFailedArticle(url: "https://a.example/bad", feedURL: nil, error: "timeout", at: epoch)
            try database.setMeta("signature.parameters", "128/42/5/1")
            clusters = try database.allClusters()
            signatures = try database.signatures().map { "\($0.documentID) \($0.clusterID) \($0.signature)" }
            feeds = try database.allFeedStates()
        }
        let reopened = try StateDatabase(path: directory.database)
        #expect(try reopened.allClusters() == clusters)
        #expect(try reopened.signatures().map { "\($0.documentID) \($0.clusterID) \($0.signature)" } == signatures)
        #expect(try reopened.allFeedStates() == feeds)
        #expect(feeds.first?.nextAttempt == epoch + 900.5)
        #expect(clusters.first?.members.first?.published == epoch - 3600.25)
        #expect(try reopened.meta("signature.parameters") == "128/42/5/1")
        #expect(try reopened.failedAttempts(url: "https://a.example/bad") == 1)
        #expect(try reopened.lastEventSequence() == 2)
        #expect(try reopened.articleText(documentID: "a1") == "Body of a1\nsecond paragraph é ✓")
    }

    @Test func readOnlyOpenSeesCommitsWhileTheWriterIsOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let writer = try StateDatabase(path: directory.database)
        try writer.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)

        let reader = try StateDatabase.openReadOnly(path: directory.database)
        #expect(try reader.counts().articles == 1)
        try writer.commit(article: article("a2", cluster: "a1"), isNewCluster: false, at: epoch)
        #expect(try reader.counts().articles == 2)
        #expect(try reader.cluster(id: "a1")?.members.count == 2)
        #expect(throws: StoreError.self) { try reader.setMeta("k", "v") }
        // The writer is not blocked by the reader.
        try writer.setMeta("k", "v")
        #expect(try reader.meta("k") == "v")
    }

    @Test func readOnlyOpenWorksAfterTheWriterClosed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let writer = try StateDatabase(path: directory.database)
            try writer.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        }
        let reader = try StateDatabase.openReadOnly(path: directory.database)
        #expect(try reader.counts().articles == 1)
        #expect(try reader.signatures().count == 1)
        // A writer may start while the reader is open.
        let writer = try StateDatabase(path: directory.database)
        try writer.commit(article: article("a2", cluster: "a1"), isNewCluster: false, at: epoch)
        #expect(try reader.cluster(id: "a1")?.members.count == 2)
    }

    @Test func readOnlyOpenOfAMissingFileFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: StoreError.self) { try StateDatabase.openReadOnly(path: directory.path + "/none.sqlite") }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/none.sqlite"))
    }

    @Test func signaturesRoundTripExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        let wide = SignatureParameters(permutations: 128, seed: UInt64.max, shingleSize: 3, schemeVersion: 7)
        var generator = SystemRandomNumberGenerator()
        var expected: [String: Signature] = [:]
        for index in 0..<20 {
            var values = (0..<128).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) }
            values[0] = 0
            values[1] = UInt64.max
            values[2] = UInt64(Int64.max) + 1
            let signature = Signature(parameters: wide, values: values, shingleCount: index * 1000)
            var stored = article("d\(index)", cluster: "d\(index)")
            stored.signature = signature
            expected["d\(index)"] = signature
            try database.commit(article: stored, isNewCluster: true, at: epoch)
        }
        let loaded = try database.signatures()
        #expect(loaded.map(\.documentID) == (0..<20).map { "d\($0)" })
        for entry in loaded {
            #expect(entry.signature == expected[entry.documentID])
            #expect(entry.clusterID == entry.documentID)
        }
        let usage = try database.signatureParameterUsage()
        #expect(usage.count == 1)
        #expect(usage.first?.parameters == wide && usage.first?.count == 20)
        // The BLOB is the values in little-endian order.
        let blob = try DatabaseQueue(path: directory.database).read { db in
            try Data.fetchOne(db, sql: "SELECT vals FROM signatures WHERE document_id = 'd0'")
        }
        #expect(blob?.count == 128 * 8)
        #expect(blob.map { Array($0[8..<16]) } == Array(repeating: 0xFF, count: 8))
    }

    @Test func leadSignaturesRoundTripExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        var withLead = article("a1", cluster: "a1")
        let lead = Signature(
            parameters: parameters, values: [0, UInt64.max, UInt64(Int64.max) + 1, 42], shingleCount: 9)
        withLead.lead = lead
        try database.commit(article: withLead, isNewCluster: true, at: epoch)
        try database.commit(article: article("a2", cluster: "a2"), isNewCluster: true, at: epoch)
        let loaded = try database.signatures()
        #expect(loaded.map(\.lead) == [lead, nil])
        #expect(loaded.first?.signature == withLead.signature)
        #expect(try database.article(documentID: "a1") == withLead)
        #expect(try database.article(documentID: "a2")?.lead == nil)
        let reopened = try StateDatabase(path: directory.database)
        #expect(try reopened.signatures().map(\.lead) == [lead, nil])
    }

    @Test func aLeadWithOtherParametersIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        var mismatched = article("a1", cluster: "a1")
        mismatched.lead = Signature(
            parameters: SignatureParameters(permutations: 4, seed: 1, shingleSize: 5, schemeVersion: 1),
            values: [1, 2, 3, 4],
            shingleCount: 3
        )
        #expect {
            try database.commit(article: mismatched, isNewCluster: true, at: epoch)
        } throws: { error in
            guard case .conflict = error as? StoreError else { return false }
            return true
        }
        #expect(try database.counts().articles == 0)
    }

    @Test func aCorruptLeadBlobIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        var withLead = article("a1", cluster: "a1")
        withLead.lead = signature(3)
        try database.commit(article: withLead, isNewCluster: true, at: epoch)
        try DatabaseQueue(path: directory.database).write { db in
            try db.execute(sql: "UPDATE signatures SET lead_vals = x'0102'")
        }
        #expect {
            _ = try database.signatures()
        } throws: { error in
            guard case .corrupt = error as? StoreError else { return false }
            return true
        }
    }

    @Test func aCorruptSignatureBlobIsReported() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        try DatabaseQueue(path: directory.database).write { db in
            try db.execute(sql: "UPDATE signatures SET vals = x'0102'")
        }
        #expect {
            _ = try database.signatures()
        } throws: { error in
            guard case .corrupt = error as? StoreError else { return false }
            return true
        }
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try StateDatabase(path: directory.database)
        try DatabaseQueue(path: directory.database).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('99-future')")
        }
        #expect {
            _ = try StateDatabase(path: directory.database)
        } throws: { error in
            guard case .newerSchema(_, let unknown) = error as? StoreError else { return false }
            return unknown == ["99-future"]
        }
        #expect(throws: StoreError.self) { try StateDatabase.openReadOnly(path: directory.database) }
    }

    @Test func feedStateFollowsSuccessNotModifiedAndFailure() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        let url = "https://a.example/feed"
        try database.upsertFeed(FeedSource(url: url, title: "A", intervalSeconds: 600))
        var state = try #require(try database.feedState(url: url))
        #expect(state == FeedState(url: url, title: "A"))

        try database.recordFeedSuccess(url: url, etag: "e1", lastModified: "m1", at: epoch, nextAttempt: epoch + 600)
        state = try #require(try database.feedState(url: url))
        #expect(state.etag == "e1" && state.lastModified == "m1")
        #expect(state.lastSuccess == epoch && state.lastAttempt == epoch && state.nextAttempt == epoch + 600)

        try database.recordFeedFailure(
            url: url,
            error: "HTTP 503",
            errorClass: "http.503",
            at: epoch + 600,
            nextAttempt: epoch + 1200
        )
        try database.recordFeedFailure(
            url: url,
            error: "timed out",
            errorClass: "timeout",
            at: epoch + 1200,
            nextAttempt: epoch + 2400
        )
        state = try #require(try database.feedState(url: url))
        #expect(state.consecutiveFailures == 2)
        #expect(state.lastError == "timed out" && state.lastErrorClass == "timeout")
        #expect(state.lastSuccess == epoch && state.lastAttempt == epoch + 1200)
        #expect(state.etag == "e1")

        try database.recordFeedNotModified(url: url, at: epoch + 2400, nextAttempt: epoch + 3000)
        state = try #require(try database.feedState(url: url))
        #expect(state.consecutiveFailures == 0 && state.lastError == nil && state.lastErrorClass == nil)
        #expect(state.etag == "e1" && state.lastModified == "m1" && state.lastSuccess == epoch + 2400)

        try database.recordFeedSuccess(url: url, etag: nil, lastModified: "m2", at: epoch + 3000, nextAttempt: epoch)
        state = try #require(try database.feedState(url: url))
        #expect(state.etag == nil && state.lastModified == "m2")

        // Upserting again keeps the state; a nil title keeps the known one.
        try database.upsertFeed(FeedSource(url: url))
        #expect(try database.feedState(url: url)?.lastModified == "m2")
        #expect(try database.feedState(url: url)?.title == "A")

        try database.disableFeed(url: url, reason: "410 Gone")
        state = try #require(try database.feedState(url: url))
        #expect(state.disabled && state.disabledReason == "410 Gone")
        try database.upsertFeed(FeedSource(url: url, title: "A2"))
        #expect(try database.feedState(url: url)?.disabled == true)
        try database.enableFeed(url: url)
        #expect(try database.feedState(url: url)?.disabled == false)

        #expect(throws: StoreError.self) {
            try database.recordFeedNotModified(url: "https://unknown.example/", at: epoch, nextAttempt: epoch)
        }
        #expect(try database.feedState(url: "https://unknown.example/") == nil)
        #expect(try database.allFeedStates().map(\.url) == [url])
    }

    @Test func renamingAFeedFollowsThePermanentRedirect() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        let old = "http://a.example/rss"
        let new = "https://a.example/feed"
        try database.upsertFeed(FeedSource(url: old, title: "A"))
        try database.recordFeedSuccess(url: old, etag: "e", lastModified: nil, at: epoch, nextAttempt: epoch)
        try database.commit(article: article("a1", cluster: "a1", feed: old), isNewCluster: true, at: epoch)

        try database.renameFeed(from: old, to: new)
        #expect(try database.allFeedStates().map(\.url) == [new])
        let state = try #require(try database.feedState(url: new))
        #expect(state.articleCount == 1 && state.title == "A" && state.etag == "e")
        // The old URL resolves to the new feed, and the configuration naming it adds no feed.
        #expect(try database.feedState(url: old)?.url == new)
        try database.upsertFeed(FeedSource(url: old, title: "A renamed"))
        #expect(try database.allFeedStates().map(\.title) == ["A renamed"])
        // Articles found under the new URL count towards the same feed.
        try database.commit(article: article("a2", cluster: "a1", feed: new), isNewCluster: false, at: epoch)
        #expect(try database.feedState(url: new)?.articleCount == 2)
        // Articles keep the feed URL they were found under.
        #expect(try database.cluster(id: "a1")?.members.map(\.feed) == [old, new])

        // A second redirect chains; merging into a known feed adds the counts.
        let other = "https://b.example/feed"
        try database.upsertFeed(FeedSource(url: other))
        try database.commit(article: article("b1", cluster: "b1", feed: other), isNewCluster: true, at: epoch)
        try database.renameFeed(from: new, to: other)
        #expect(try database.allFeedStates().map(\.url) == [other])
        #expect(try database.feedState(url: other)?.articleCount == 3)
        #expect(try database.feedState(url: old)?.url == other)
        #expect(throws: StoreError.self) { try database.renameFeed(from: "https://none.example/", to: other) }

        // Moving back to a former URL works and leaves no redirect loop.
        try database.renameFeed(from: other, to: old)
        #expect(try database.allFeedStates().map(\.url) == [old])
        #expect(try database.feedState(url: new)?.url == old)
        #expect(try database.feedState(url: other)?.url == old)
        #expect(try database.feedState(url: old)?.articleCount == 3)
    }

    @Test func aBrokenArticleIsRetriedOnlyAFewTimes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        let url = "https://a.example/a1"
        for attempt in 1..<StateDatabase.maxArticleAttempts {
            try database.markFailedArticle(url: url, feedURL: "https://a.example/feed", error: "500", at: epoch)
            #expect(try database.failedAttempts(url: url) == attempt)
            #expect(try !database.hasArticle(url: url))
        }
        try database.markFailedArticle(url: url, feedURL: nil, error: "500", at: epoch)
        #expect(try database.hasArticle(url: url))

        // A later success replaces the failure record.
        try database.commit(article: article("a1", cluster: "a1"), isNewCluster: true, at: epoch)
        #expect(try database.failedAttempts(url: url) == 0)
        #expect(try database.hasArticle(url: url))
    }

    @Test func pruningExpiredKeepsArticlesClustersAndEventsButDropsTheirSignatures() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        let day = 86_400.0
        try database.commit(
            batch: [
                (article("a1", cluster: "a1", fetched: epoch), true),
                (article("a2", cluster: "a1", fetched: epoch.addingTimeInterval(day)), false),
                (article("b1", cluster: "b1", fetched: epoch.addingTimeInterval(3 * day)), true),
            ])
        try database.markFailedArticle(url: "https://x.example/old", feedURL: nil, error: "500", at: epoch)
        try database.markFailedArticle(
            url: "https://x.example/new", feedURL: nil, error: "500", at: epoch.addingTimeInterval(3 * day))
        let clusters = try database.allClusters()
        let events = try database.events(after: 0, limit: 10)

        let cutoff = epoch.addingTimeInterval(2 * day)
        #expect(try database.signatures(fetchedSince: cutoff).map(\.documentID) == ["b1"])
        let pruned = try database.pruneExpired(fetchedBefore: cutoff)
        #expect(pruned.signatures == 2 && pruned.failedArticles == 1)
        #expect(try database.signatures().map(\.documentID) == ["b1"])
        #expect(try database.signatures().first?.fetched == epoch.addingTimeInterval(3 * day))
        #expect(try database.article(documentID: "a1") == nil)
        #expect(try database.article(documentID: "b1") != nil)
        // What the cluster directory and the seen-URL check read is untouched.
        #expect(try database.allClusters() == clusters)
        #expect(try database.events(after: 0, limit: 10) == events)
        #expect(try database.counts().articles == 3)
        #expect(try database.hasArticle(url: "https://a.example/a1"))
        #expect(try database.extractedArticle(documentID: "a1") != nil)
        #expect(try database.failedAttempts(url: "https://x.example/old") == 0)
        #expect(try database.failedAttempts(url: "https://x.example/new") == 1)
        // Idempotent.
        #expect(try database.pruneExpired(fetchedBefore: cutoff) == (0, 0))
    }

    @Test func theMemoryMappingIsConfigurable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for size in [0, 1 << 20, StateDatabase.defaultMmapSize] {
            let database = try StateDatabase(path: directory.database, mmapSize: size)
            try database.commit(
                article: article("m\(size)", cluster: "m\(size)"), isNewCluster: true, at: epoch)
            // Every connection of the store, the writer and the readers, maps that much.
            let reader = try database.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA mmap_size") }
            let writer = try database.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA mmap_size") }
            #expect(reader == size && writer == size)
        }
        #expect(StateDatabase.defaultMmapSize == 64 << 20)
    }

    @Test func aStoredArticleReadsBackWithItsPublicFileFields() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try StateDatabase(path: directory.database)
        var stored = article("a1", cluster: "a1", published: epoch - 60)
        stored.author = "A. Writer"
        stored.language = "ar"
        stored.canonicalURL = "https://a.example/canonical"
        try database.commit(article: stored, isNewCluster: true, at: epoch)
        #expect(try database.article(documentID: "a1") == stored)
        #expect(try database.article(documentID: "zz") == nil)
        let extracted = try #require(try database.extractedArticle(documentID: "a1"))
        #expect(extracted.paragraphs == ["Body of a1", "second paragraph é ✓"])
        #expect(extracted.text == stored.text)
        #expect(extracted.title == "Title a1" && extracted.author == "A. Writer" && extracted.language == "ar")
        #expect(extracted.canonicalURL == "https://a.example/canonical" && extracted.published == epoch - 60)
        #expect(try database.extractedArticle(documentID: "zz") == nil)
    }

    @Test func errorsNameThePath() throws {
        let error = StoreError.unknownFeed(path: "/data/state.sqlite", url: "https://x.example/")
        #expect(error.path == "/data/state.sqlite")
        #expect(error.description.contains("/data/state.sqlite"))
        #expect(error.description.contains("https://x.example/"))
        #expect(throws: StoreError.self) { try StateDatabase(path: "/nonexistent-dir/sub/state.sqlite") }
    }
}
