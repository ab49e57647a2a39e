import ClusterStore
import Clustering
import Fingerprint
import Foundation
import Logging
import Model
import StateStore

/// Serializes boilerplate filtering, fingerprinting, clustering and the state commit: the index
/// and the filter are not `Sendable`, and the change log must be numbered in decision order.
/// Committed batches go to a ``DirectoryMirror``, which writes the cluster directory in commit
/// order on its own queue.
actor DedupEngine {
    struct Item: Sendable {
        var url: String
        var feedURL: String
        var outlet: String?
        var site: String
        var article: ExtractedArticle
        var fetched: Date
    }

    struct Outcome: Sendable {
        var clusterID: String
        var similarity: Double
        var isNewCluster: Bool
    }

    /// A decided article waiting for its batch to be committed.
    private struct Pending {
        var item: Item
        var stored: StoredArticle
        var isNewCluster: Bool
        var continuation: CheckedContinuation<Outcome?, any Error>
    }

    private let fingerprinter: Fingerprinter
    private var index: ClusterIndex
    private let clusteringParameters: ClusteringParameters
    private let signatureParameters: SignatureParameters
    /// Decided articles not committed yet, in decision order, and their URLs.
    private var pending: [Pending] = []
    private var pendingURLs = Set<String>()
    private var flushScheduled = false
    /// How long a batch collects articles before it is committed, and its largest size.
    private let batchDelay: Duration
    private let maxBatch: Int
    private let filter: BoilerplateFilter
    private let database: StateDatabase
    private let logger: Logger
    /// Articles in the index by fetch time, oldest first, for eviction after the retention window.
    private var indexed: [(fetched: Date, documentID: String)] = []
    private var retentionSeconds: Double
    /// Writes committed batches to the cluster directory, in commit order.
    private let mirror: DirectoryMirror

    init(
        fingerprint: FingerprintParameters,
        clustering: ClusteringParameters,
        database: StateDatabase,
        directory: ClusterDirectory,
        feedTitle: String,
        feedItems: Int,
        retentionDays: Int,
        batchDelay: Duration = .milliseconds(5),
        maxBatch: Int = 256,
        logger: Logger
    ) throws {
        self.batchDelay = batchDelay
        self.maxBatch = max(1, maxBatch)
        self.clusteringParameters = clustering
        self.signatureParameters = fingerprint.signatureParameters
        self.retentionSeconds = Double(retentionDays) * 86_400
        self.fingerprinter = try Fingerprinter(parameters: fingerprint)
        self.index = try ClusterIndex(parameters: clustering, signatureParameters: fingerprint.signatureParameters)
        self.filter = BoilerplateFilter(capacity: Self.boilerplateCapacity)
        self.database = database
        self.mirror = DirectoryMirror(
            database: database, directory: directory, feedTitle: feedTitle, feedItems: feedItems, logger: logger)
        self.logger = logger
    }

    /// Rebuilds the index from the stored signatures (no re-decision), leaving out articles
    /// fetched before the retention window (whose signatures it prunes from the state database).
    func restore(now: Date = Date()) throws(DaemonError) {
        let started = ContinuousClock.now
        let cutoff = now.addingTimeInterval(-retentionSeconds)
        let stored: [(documentID: String, clusterID: String, signature: Signature, lead: Signature?, fetched: Date)]
        let expired: Int
        do {
            expired = try database.pruneExpired(fetchedBefore: cutoff).signatures
            stored = try database.signatures(fetchedSince: cutoff)
        } catch {
            throw .state(path: "state.sqlite", message: "\(error)")
        }
        var incompatible = 0
        index.reserveCapacity(documents: stored.count)
        indexed.reserveCapacity(stored.count)
        for entry in stored {
            do {
                try index.restore(
                    documentID: entry.documentID,
                    signature: entry.signature,
                    lead: entry.lead,
                    clusterID: entry.clusterID
                )
                indexed.append((entry.fetched, entry.documentID))
            } catch {
                incompatible += 1
            }
        }
        indexed.sort { $0.fetched < $1.fetched }
        if expired > 0 {
            logger.info(
                "signatures of articles older than the retention window pruned",
                metadata: [
                    "count": "\(expired)"
                ])
        }
        if incompatible > 0 {
            logger.warning(
                "stored signatures skipped: fingerprint parameters changed",
                metadata: ["count": "\(incompatible)"]
            )
        }
        logger.info(
            "index restored",
            metadata: [
                "documents": "\(index.documentCount)",
                "duration_ms": "\(Int(Pipeline.seconds(ContinuousClock.now - started) * 1000))",
            ]
        )
    }

    /// Appends the events the directory's log lacks and rewrites the clusters they touch;
    /// writes any cluster file missing on disk (start-up).
    func reconcile() throws(DaemonError) {
        try mirror.reconcile()
    }

    /// Dedups one article and returns once it is committed with its batch; `nil` when its URL
    /// was committed (or decided) meanwhile.
    ///
    /// Articles decided within a few milliseconds of one another are committed together in one
    /// SQLite transaction, so the cost of `fsync` is shared; the caller resumes once its batch
    /// is committed (a feed is marked polled only after all its articles are). The mirror then
    /// writes the article files, the touched cluster files and the events (each file atomic,
    /// one directory `fsync` per kind). The database is written first: a crash at any point
    /// leaves the directory at or behind the database, and reconciliation at start-up catches
    /// it up.
    func add(_ item: Item) async throws -> Outcome? {
        // Back-pressure: when the directory falls behind (slow disk), wait for it rather than
        // keep every committed article's text in memory until it is written.
        while mirror.queuedArticles >= Self.maxMirrorBacklog { await mirror.drain() }
        if pendingURLs.contains(item.url) { return nil }
        if try database.hasArticle(url: item.url) { return nil }
        let documentID = Self.documentID(for: item.url)
        let paragraphs = filter.filter(item.article.paragraphs, site: item.site)
        // The lead guards against merging an article that merely borrows a paragraph of another.
        let signatures = fingerprinter.signatures(ofParagraphs: paragraphs)
        let assignment = try index.assign(
            documentID: documentID,
            signature: signatures.document,
            lead: signatures.lead
        )
        let stored = StoredArticle(
            documentID: documentID,
            url: item.url,
            feedURL: item.feedURL,
            outlet: item.outlet,
            title: item.article.title,
            published: item.article.published,
            fetched: item.fetched,
            signature: signatures.document,
            lead: signatures.lead,
            clusterID: assignment.clusterID,
            similarity: assignment.similarity,
            text: item.article.text
        )
        pendingURLs.insert(item.url)
        return try await withCheckedThrowingContinuation { continuation in
            pending.append(
                Pending(item: item, stored: stored, isNewCluster: assignment.isNewCluster, continuation: continuation)
            )
            if pending.count >= maxBatch {
                flush()
            } else if !flushScheduled {
                flushScheduled = true
                Task { await self.flushAfterDelay() }
            }
        }
    }

    private func flushAfterDelay() async {
        try? await Task.sleep(for: batchDelay)
        flushScheduled = false
        flush()
    }

    /// Commits the pending batch, queues it for the cluster directory, and resumes the waiting
    /// callers.
    func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        defer { pendingURLs.subtract(batch.map(\.item.url)) }
        let events: [ClusterEvent]
        do {
            events = try database.commit(batch: batch.map { ($0.stored, $0.isNewCluster) })
        } catch {
            // Nothing of the batch is stored: the index must forget its decisions.
            logger.error("batch commit failed", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            do {
                try rebuildIndex()
            } catch {
                logger.critical("index rebuild failed", metadata: ["error": "\(error)"])
            }
            for entry in batch { entry.continuation.resume(throwing: error) }
            return
        }
        for entry in batch { indexed.append((entry.item.fetched, entry.stored.documentID)) }
        var clusterIDs: [String] = []
        var seen = Set<String>()
        for entry in batch where seen.insert(entry.stored.clusterID).inserted {
            clusterIDs.append(entry.stored.clusterID)
        }
        mirror.enqueue(
            DirectoryMirror.Batch(
                articles: batch.map { ($0.item.article, $0.stored.documentID, $0.item.url) },
                clusterIDs: clusterIDs,
                events: events
            )
        )
        for entry in batch {
            entry.continuation.resume(
                returning: Outcome(
                    clusterID: entry.stored.clusterID,
                    similarity: entry.stored.similarity,
                    isNewCluster: entry.isNewCluster
                )
            )
        }
    }

    /// Replaces the index with one rebuilt from the database (after a failed commit).
    private func rebuildIndex() throws {
        index = try ClusterIndex(parameters: clusteringParameters, signatureParameters: signatureParameters)
        indexed = []
        try restore()
    }

    /// Drops articles fetched before the retention window from the index (their clusters stay
    /// written and stored); they no longer match new articles. Their signatures are pruned from
    /// the state database (``StateDatabase/pruneExpired(fetchedBefore:)``), so a restart does not
    /// read them again.
    ///
    /// The index holds everything the engine keeps per article (`indexed` is its eviction
    /// order); the boilerplate filter keeps per-line counts, bounded by its capacity.
    ///
    /// - Returns: How many were evicted.
    @discardableResult
    func evictExpired(now: Date = Date(), retentionDays: Int? = nil) -> Int {
        if let retentionDays { retentionSeconds = Double(retentionDays) * 86_400 }
        let cutoff = now.addingTimeInterval(-retentionSeconds)
        var count = 0
        while count < indexed.count, indexed[count].fetched < cutoff {
            index.evict(documentID: indexed[count].documentID)
            count += 1
        }
        guard count > 0 else { return 0 }
        indexed.removeFirst(count)
        do {
            try database.pruneExpired(fetchedBefore: cutoff)
        } catch {
            // Harmless: the next pass (or start-up) prunes them.
            logger.warning("expired signatures not pruned", metadata: ["error": "\(error)"])
        }
        return count
    }

    /// The number of articles in the index.
    var indexedCount: Int { index.documentCount }

    /// The number of lines the boilerplate filter remembers.
    var boilerplateLines: Int { filter.rememberedLineCount }

    /// The most committed articles queued for the cluster directory before new articles wait
    /// for it: 1,024, about 7 MB of extracted text (four full batches).
    static let maxMirrorBacklog = 1024

    /// The most lines the boilerplate filter remembers: 2^18 (its table then stays under about
    /// 8 MB, against about 25 MB, plus a copy while pruning, at the filter's default of 2^20).
    /// Pruning forgets the lines seen least first, and a site's template lines recur on every
    /// page, so they outlive the story lines seen once; the filter kept growing with every
    /// article at the default until it reached a million lines, long after the index had
    /// reached its retention plateau.
    static let boilerplateCapacity = 1 << 18

    /// Rewrites the JSON Feed of the newest clusters, once the queued batches are written.
    func writeFeed(title: String, items: Int) async {
        await mirror.writeFeed(title: title, items: items)
    }

    /// Waits until every committed batch is written to the cluster directory.
    func drain() async {
        await mirror.drain()
    }

    static func newest(_ clusters: [ClusterRecord], limit: Int) -> [ClusterRecord] {
        Array(clusters.sorted { ($0.updated, $0.id) > ($1.updated, $1.id) }.prefix(limit))
    }

    /// The document id of an article: the first 16 hex digits of the xxh64 of its canonical URL.
    static func documentID(for url: String) -> String {
        let hex = String(StableHash.xxh64(url), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
