public import FoundationEssentials
import GRDB
public import Model

extension StateDatabase {
    // MARK: - Seen and failed articles

    /// Whether an article URL was already handled: stored, or failed too often to retry.
    ///
    /// An article URL that failed fewer than ``maxArticleAttempts`` times is not handled yet.
    ///
    /// - Parameter url: The article URL (as the feed entry or the page named it).
    /// - Returns: `true` when the URL must not be fetched again.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func hasArticle(url: String) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS(SELECT 1 FROM articles WHERE url = ?)
                        OR EXISTS(SELECT 1 FROM failed_articles WHERE url = ? AND attempts >= ?)
                    """,
                arguments: [url, url, Self.maxArticleAttempts]
            ) ?? false
        }
    }

    /// Records a failed fetch or extraction of an article, counting attempts.
    ///
    /// After ``maxArticleAttempts`` failures ``hasArticle(url:)`` reports the URL as handled,
    /// so a broken page is not retried forever.
    ///
    /// - Parameters:
    ///   - url: The article URL.
    ///   - feedURL: The feed that listed it.
    ///   - error: The failure's message.
    ///   - at: When it failed.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func markFailedArticle(url: String, feedURL: String?, error: String, at: Date) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO failed_articles(url, feed_url, attempts, last_error, last_attempt)
                    VALUES (?, ?, 1, ?, ?)
                    ON CONFLICT(url) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error,
                        last_attempt = excluded.last_attempt, feed_url = COALESCE(excluded.feed_url, feed_url)
                    """,
                arguments: [url, feedURL, error, at.storedValue]
            )
        }
    }

    /// How many times fetching or extracting an article URL has failed (0 when never).
    ///
    /// - Parameter url: The article URL.
    /// - Returns: The attempt count.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func failedAttempts(url: String) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT attempts FROM failed_articles WHERE url = ?", arguments: [url]) ?? 0
        }
    }

    // MARK: - Commit

    /// Stores one clustered article and its consequences in one transaction.
    ///
    /// Written together: the article row, its cleaned text, its signature and its lead's
    /// signature (compact BLOBs; the lead NULL when unknown), its cluster membership, the
    /// cluster's row (created, or updated with a new member count, update time and possibly a
    /// new representative) and the change-log event with the next
    /// contiguous sequence number: `cluster.created` for a founder, `member.added` otherwise.
    /// Either everything is stored or nothing is. A former failure record of the URL is dropped.
    ///
    /// The representative of a cluster is its earliest-published member that has a title
    /// (publication falling back to fetch time; the founder when no member has a title).
    ///
    /// - Parameters:
    ///   - article: The article, with its cluster and similarity.
    ///   - isNewCluster: `true` when the article founds `article.clusterID`.
    ///   - at: The event time (and the cluster's creation or update time).
    /// - Returns: The events recorded, in sequence order.
    /// - Throws: ``StoreError/conflict(path:message:)`` when the document id is already stored,
    ///   a new cluster's id exists, a joined cluster does not, or the lead's parameters differ
    ///   from the signature's; ``StoreError`` when SQLite fails.
    @discardableResult
    public func commit(article: StoredArticle, isNewCluster: Bool, at: Date) throws(StoreError) -> [ClusterEvent] {
        try write { db in try commit(db, article: article, isNewCluster: isNewCluster, at: at) }
    }

    /// Stores several clustered articles in one transaction (one `fsync` of the log for all).
    ///
    /// Each article is stored as ``commit(article:isNewCluster:at:)`` would, in order, so an
    /// article may join a cluster founded earlier in the same batch; its event time is its
    /// `fetched` date. Either the whole batch is stored or nothing is.
    ///
    /// - Parameter batch: The articles in decision order, each with whether it founds its cluster.
    /// - Returns: The events recorded, in sequence order (one per article).
    /// - Throws: ``StoreError/conflict(path:message:)`` as ``commit(article:isNewCluster:at:)``
    ///   does (nothing of the batch is then stored); ``StoreError`` when SQLite fails.
    @discardableResult
    public func commit(batch: [(article: StoredArticle, isNewCluster: Bool)]) throws(StoreError) -> [ClusterEvent] {
        guard !batch.isEmpty else { return [] }
        return try write { db in
            var events: [ClusterEvent] = []
            events.reserveCapacity(batch.count)
            for entry in batch {
                events += try commit(
                    db, article: entry.article, isNewCluster: entry.isNewCluster, at: entry.article.fetched)
            }
            return events
        }
    }

    private func commit(_ db: Database, article: StoredArticle, isNewCluster: Bool, at: Date) throws
        -> [ClusterEvent]
    {
        do {
            try insert(db, article: article)
            let sequence = (try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0) + 1
            let existing = try Row.fetchOne(
                db,
                sql: "SELECT representative FROM clusters WHERE id = ?",
                arguments: [article.clusterID]
            )
            if isNewCluster {
                guard existing == nil else {
                    throw StoreError.conflict(path: path, message: "cluster \(article.clusterID) already exists")
                }
                try db.execute(
                    sql: """
                        INSERT INTO clusters(id, created, updated, representative, member_count, last_seq)
                        VALUES (?, ?, ?, ?, 1, ?)
                        """,
                    arguments: [article.clusterID, at.storedValue, at.storedValue, article.documentID, sequence]
                )
            } else {
                guard let existing else {
                    throw StoreError.conflict(path: path, message: "cluster \(article.clusterID) does not exist")
                }
                let currentID: String = existing["representative"]
                var representative = currentID
                if let current = try Row.fetchOne(
                    db,
                    sql: "SELECT title, published, fetched FROM articles WHERE document_id = ?",
                    arguments: [currentID]
                ) {
                    let currentTitle: String? = current["title"]
                    let currentTime: Double = current.date("published")?.storedValue ?? current["fetched"]
                    let newTime = (article.published ?? article.fetched).storedValue
                    if article.title != nil && (currentTitle == nil || newTime < currentTime) {
                        representative = article.documentID
                    }
                }
                try db.execute(
                    sql: """
                        UPDATE clusters SET updated = ?, representative = ?, member_count = member_count + 1,
                            last_seq = ?
                        WHERE id = ?
                        """,
                    arguments: [at.storedValue, representative, sequence, article.clusterID]
                )
            }
            let event = ClusterEvent(
                sequence: sequence,
                kind: isNewCluster ? .clusterCreated : .memberAdded,
                time: at,
                clusterID: article.clusterID,
                documentID: article.documentID,
                url: article.url,
                similarity: article.similarity
            )
            try db.execute(
                sql: """
                    INSERT INTO events(seq, kind, time, cluster_id, document_id, url, similarity)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.sequence, event.kind.rawValue, event.time.storedValue, event.clusterID, event.documentID,
                    event.url, event.similarity,
                ]
            )
            return [event]
        }
    }

    private func insert(_ db: Database, article: StoredArticle) throws {
        let exists =
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS(SELECT 1 FROM articles WHERE document_id = ?)",
                arguments: [article.documentID]
            ) ?? false
        if exists {
            throw StoreError.conflict(path: path, message: "article \(article.documentID) is already stored")
        }
        let signature = article.signature
        guard signature.values.count == signature.parameters.permutations else {
            throw StoreError.conflict(
                path: path,
                message: "signature of \(article.documentID) has \(signature.values.count) values for "
                    + "\(signature.parameters.permutations) permutations"
            )
        }
        if let lead = article.lead {
            guard lead.parameters == signature.parameters, lead.values.count == signature.parameters.permutations
            else {
                throw StoreError.conflict(
                    path: path,
                    message: "lead signature of \(article.documentID) does not have the parameters of its signature"
                )
            }
        }
        try db.execute(
            sql: """
                INSERT INTO articles(document_id, url, feed_url, outlet, title, published, fetched, cluster_id,
                    similarity, author, language, canonical_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                article.documentID, article.url, article.feedURL, article.outlet, article.title,
                article.published.storedValue, article.fetched.storedValue, article.clusterID, article.similarity,
                article.author, article.language, article.canonicalURL,
            ]
        )
        try db.execute(
            sql: "INSERT INTO article_texts(document_id, text) VALUES (?, ?)",
            arguments: [article.documentID, article.text]
        )
        try db.execute(
            sql: """
                INSERT INTO signatures(document_id, permutations, seed, shingle_size, scheme_version, shingle_count,
                    vals, lead_shingle_count, lead_vals)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                article.documentID, signature.parameters.permutations, Int64(bitPattern: signature.parameters.seed),
                signature.parameters.shingleSize, signature.parameters.schemeVersion, signature.shingleCount,
                SignatureCodec.encode(signature.values), article.lead?.shingleCount,
                article.lead.map { SignatureCodec.encode($0.values) },
            ]
        )
        try db.execute(sql: "DELETE FROM failed_articles WHERE url = ?", arguments: [article.url])
        if let feedURL = article.feedURL {
            let feed = try Self.resolve(db, url: feedURL)
            try db.execute(sql: "UPDATE feeds SET article_count = article_count + 1 WHERE url = ?", arguments: [feed])
        }
    }

    // MARK: - Reading articles

    /// Reads an article's cleaned text.
    ///
    /// - Parameter documentID: The document id.
    /// - Returns: The text, or `nil` when the article is unknown.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func articleText(documentID: String) throws(StoreError) -> String? {
        try read { db in
            try String.fetchOne(
                db, sql: "SELECT text FROM article_texts WHERE document_id = ?", arguments: [documentID])
        }
    }

    /// Rebuilds the extracted article of a stored document, to rewrite its public article file.
    ///
    /// Paragraphs are the stored text split at newlines.
    ///
    /// - Parameter documentID: The document id.
    /// - Returns: The article, or `nil` when the document is unknown.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func extractedArticle(documentID: String) throws(StoreError) -> ExtractedArticle? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.title, a.author, a.published, a.language, a.canonical_url, t.text
                        FROM articles a JOIN article_texts t ON t.document_id = a.document_id
                        WHERE a.document_id = ?
                        """,
                    arguments: [documentID]
                )
            else { return nil }
            let text: String = row["text"]
            return ExtractedArticle(
                title: row["title"],
                author: row["author"],
                published: row.date("published"),
                language: row["language"],
                canonicalURL: row["canonical_url"],
                paragraphs: text.isEmpty
                    ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            )
        }
    }

    /// Reads a stored article's metadata, text and signature.
    ///
    /// - Parameter documentID: The document id.
    /// - Returns: The article, or `nil` when the document is unknown (or its signature was pruned
    ///   after the retention window).
    /// - Throws: ``StoreError/corrupt(path:message:)`` for a bad signature BLOB, or
    ///   ``StoreError`` when SQLite fails.
    public func article(documentID: String) throws(StoreError) -> StoredArticle? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.*, t.text, s.permutations, s.seed, s.shingle_size, s.scheme_version, s.shingle_count,
                            s.vals, s.lead_shingle_count, s.lead_vals
                        FROM articles a
                        JOIN article_texts t ON t.document_id = a.document_id
                        JOIN signatures s ON s.document_id = a.document_id
                        WHERE a.document_id = ?
                        """,
                    arguments: [documentID]
                )
            else { return nil }
            let parameters = SignatureParameters(
                permutations: row["permutations"],
                seed: UInt64(bitPattern: row["seed"] as Int64),
                shingleSize: row["shingle_size"],
                schemeVersion: row["scheme_version"]
            )
            guard let blob = row["vals"] as Data?,
                let values = SignatureCodec.decode(blob, count: parameters.permutations)
            else {
                throw StoreError.corrupt(
                    path: path,
                    message: "signature BLOB of \(documentID) does not hold \(parameters.permutations) values"
                )
            }
            var lead: Signature?
            if let leadCount = row["lead_shingle_count"] as Int? {
                guard let leadBlob = row["lead_vals"] as Data?,
                    let leadValues = SignatureCodec.decode(leadBlob, count: parameters.permutations)
                else {
                    throw StoreError.corrupt(
                        path: path,
                        message: "lead signature BLOB of \(documentID) does not hold \(parameters.permutations) values"
                    )
                }
                lead = Signature(parameters: parameters, values: leadValues, shingleCount: leadCount)
            }
            return StoredArticle(
                documentID: documentID,
                url: row["url"],
                feedURL: row["feed_url"],
                outlet: row["outlet"],
                title: row["title"],
                published: row.date("published"),
                fetched: Date(storedValue: row["fetched"]),
                signature: Signature(parameters: parameters, values: values, shingleCount: row["shingle_count"]),
                lead: lead,
                clusterID: row["cluster_id"],
                similarity: row["similarity"],
                text: row["text"],
                author: row["author"],
                language: row["language"],
                canonicalURL: row["canonical_url"]
            )
        }
    }

    /// Reads the stored signatures with their cluster and fetch time, in arrival order, to rebuild
    /// the index.
    ///
    /// The lead is the signature of the article's lead paragraph (same parameters as the
    /// document's signature), `nil` for articles stored before leads were kept. Articles whose
    /// signature was pruned (``pruneExpired(fetchedBefore:)``) are not listed.
    ///
    /// - Parameter cutoff: When given, only articles fetched at or after it (the retention window).
    /// - Returns: One tuple per article.
    /// - Throws: ``StoreError/corrupt(path:message:)`` when a BLOB does not match its parameters,
    ///   or ``StoreError`` when SQLite fails.
    public func signatures(fetchedSince cutoff: Date? = nil) throws(StoreError)
        -> [(documentID: String, clusterID: String, signature: Signature, lead: Signature?, fetched: Date)]
    {
        try read { db in
            var result:
                [(documentID: String, clusterID: String, signature: Signature, lead: Signature?, fetched: Date)] =
                    []
            let window = cutoff == nil ? "" : "WHERE a.fetched >= ?"
            let arguments: StatementArguments = cutoff.map { [$0.storedValue] } ?? []
            if let count = try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM articles a JOIN signatures s ON s.document_id = a.document_id \(window)",
                arguments: arguments
            ) {
                result.reserveCapacity(count)
            }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.document_id, a.cluster_id, s.permutations, s.seed, s.shingle_size, s.scheme_version,
                        s.shingle_count, s.vals, s.lead_shingle_count, s.lead_vals, a.fetched
                    FROM articles a JOIN signatures s ON s.document_id = a.document_id \(window)
                    ORDER BY a.seq
                    """,
                arguments: arguments
            )
            while let row = try rows.next() {
                let documentID: String = row[0]
                let parameters = SignatureParameters(
                    permutations: row[2],
                    seed: UInt64(bitPattern: row[3] as Int64),
                    shingleSize: row[4],
                    schemeVersion: row[5]
                )
                let values = try row.withUnsafeData(atIndex: 7) { data in
                    data.flatMap { SignatureCodec.decode($0, count: parameters.permutations) }
                }
                guard let values else {
                    throw StoreError.corrupt(
                        path: path,
                        message: "signature BLOB of \(documentID) does not hold \(parameters.permutations) values"
                    )
                }
                var lead: Signature?
                if let leadCount = row[8] as Int? {
                    let leadValues = try row.withUnsafeData(atIndex: 9) { data in
                        data.flatMap { SignatureCodec.decode($0, count: parameters.permutations) }
                    }
                    guard let leadValues else {
                        throw StoreError.corrupt(
                            path: path,
                            message:
                                "lead signature BLOB of \(documentID) does not hold \(parameters.permutations) values"
                        )
                    }
                    lead = Signature(parameters: parameters, values: leadValues, shingleCount: leadCount)
                }
                result.append(
                    (
                        documentID, row[1], Signature(parameters: parameters, values: values, shingleCount: row[6]),
                        lead, Date(storedValue: row[10])
                    )
                )
            }
            return result
        }
    }

    /// Deletes what only the near-duplicate index needs of articles fetched before `cutoff` (the
    /// retention window): their signatures and lead signatures, which can no longer match new
    /// articles; and failure records last attempted before it.
    ///
    /// Articles, texts, clusters and events stay: the cluster directory and ``hasArticle(url:)``
    /// depend on them. ``article(documentID:)`` returns `nil` for a pruned article; ``signatures(fetchedSince:)``
    /// leaves it out.
    ///
    /// - Parameter cutoff: The start of the retention window.
    /// - Returns: How many signatures and failure records were deleted.
    /// - Throws: ``StoreError`` when SQLite fails.
    @discardableResult
    public func pruneExpired(fetchedBefore cutoff: Date) throws(StoreError) -> (signatures: Int, failedArticles: Int) {
        try write { db in
            try db.execute(
                sql: """
                    DELETE FROM signatures WHERE document_id IN (SELECT document_id FROM articles WHERE fetched < ?)
                    """,
                arguments: [cutoff.storedValue]
            )
            let signatures = db.changesCount
            try db.execute(sql: "DELETE FROM failed_articles WHERE last_attempt < ?", arguments: [cutoff.storedValue])
            return (signatures, db.changesCount)
        }
    }

    /// The distinct signature parameters among stored signatures.
    ///
    /// At start-up the daemon compares them with the configured parameters: signatures computed
    /// with other parameters cannot be compared with new ones.
    ///
    /// - Returns: Each parameter set in use, with how many signatures use it.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func signatureParameterUsage() throws(StoreError) -> [(parameters: SignatureParameters, count: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT permutations, seed, shingle_size, scheme_version, COUNT(*) AS n FROM signatures
                    GROUP BY permutations, seed, shingle_size, scheme_version ORDER BY n DESC
                    """
            ).map { row in
                (
                    SignatureParameters(
                        permutations: row["permutations"],
                        seed: UInt64(bitPattern: row["seed"] as Int64),
                        shingleSize: row["shingle_size"],
                        schemeVersion: row["scheme_version"]
                    ),
                    row["n"]
                )
            }
        }
    }

    // MARK: - Clusters

    /// Reads one cluster with its members in arrival order.
    ///
    /// - Parameter id: The cluster id.
    /// - Returns: The cluster, or `nil` when unknown.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func cluster(id: String) throws(StoreError) -> ClusterRecord? {
        try read { db in
            try clusterRecords(db, where: "c.id = ?", arguments: [id]).first
        }
    }

    /// Reads the clusters touched by events after `sequence`, to reconcile the cluster directory.
    ///
    /// - Parameter sequence: The last event sequence the directory is known to reflect.
    /// - Returns: The clusters whose last event is later, ordered by creation then id.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func clusters(updatedSince sequence: Int64) throws(StoreError) -> [ClusterRecord] {
        try read { db in
            try clusterRecords(db, where: "c.last_seq > ?", arguments: [sequence])
        }
    }

    /// Reads every cluster, ordered by creation then id.
    ///
    /// - Returns: All clusters with their members.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func allClusters() throws(StoreError) -> [ClusterRecord] {
        try read { db in
            try clusterRecords(db, where: "1", arguments: [])
        }
    }

    /// Reads the most recently updated clusters, for the JSON Feed of the cluster directory.
    ///
    /// - Parameter limit: The most clusters to return.
    /// - Returns: Up to `limit` clusters, the most recently updated first (then by id).
    /// - Throws: ``StoreError`` when SQLite fails.
    public func recentClusters(limit: Int) throws(StoreError) -> [ClusterRecord] {
        try read { db in
            try clusterRecords(
                db,
                where: "c.id IN (SELECT id FROM clusters ORDER BY updated DESC, id LIMIT ?)",
                arguments: [max(0, limit)]
            ).sorted { left, right in
                left.updated != right.updated ? left.updated > right.updated : left.id < right.id
            }
        }
    }

    private func clusterRecords(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [ClusterRecord]
    {
        let clusterRows = try Row.fetchAll(
            db,
            sql:
                "SELECT c.id, c.created, c.updated, c.representative FROM clusters c WHERE \(condition) "
                + "ORDER BY c.created, c.id",
            arguments: arguments
        )
        var records: [ClusterRecord] = []
        records.reserveCapacity(clusterRows.count)
        var index: [String: Int] = [:]
        var representatives: [Int: String] = [:]
        for row in clusterRows {
            let id: String = row["id"]
            index[id] = records.count
            representatives[records.count] = row["representative"]
            records.append(
                ClusterRecord(
                    id: id,
                    created: Date(storedValue: row["created"]),
                    updated: Date(storedValue: row["updated"]),
                    title: nil,
                    url: "",
                    members: []
                )
            )
        }
        guard !records.isEmpty else { return [] }
        let memberSQL = """
            SELECT a.document_id, a.url, a.feed_url, a.outlet, a.title, a.published, a.fetched, a.similarity,
                a.cluster_id
            FROM articles a
            """
        let memberRows: RowCursor
        if records.count == 1 {
            memberRows = try Row.fetchCursor(
                db,
                sql: memberSQL + " WHERE a.cluster_id = ? ORDER BY a.seq",
                arguments: [records[0].id]
            )
        } else {
            memberRows = try Row.fetchCursor(
                db,
                sql: memberSQL + " JOIN clusters c ON c.id = a.cluster_id WHERE \(condition) ORDER BY a.seq",
                arguments: arguments
            )
        }
        while let row = try memberRows.next() {
            guard let position = index[row["cluster_id"]] else { continue }
            let member = ClusterMember(
                documentID: row["document_id"],
                url: row["url"],
                feed: row["feed_url"],
                outlet: row["outlet"],
                title: row["title"],
                published: row.date("published"),
                fetched: Date(storedValue: row["fetched"]),
                similarity: row["similarity"]
            )
            if member.documentID == representatives[position] {
                records[position].title = member.title
                records[position].url = member.url
            }
            records[position].members.append(member)
        }
        return records
    }

    // MARK: - Events

    /// Reads change-log events after a sequence number, in order.
    ///
    /// - Parameters:
    ///   - sequence: The last sequence already processed (0 for all).
    ///   - limit: The most events to return.
    /// - Returns: Up to `limit` events with sequence greater than `sequence`.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func events(after sequence: Int64, limit: Int) throws(StoreError) -> [ClusterEvent] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, kind, time, cluster_id, document_id, url, similarity FROM events
                    WHERE seq > ? ORDER BY seq LIMIT ?
                    """,
                arguments: [sequence, max(0, limit)]
            )
            return try rows.map { row in
                let kindName: String = row["kind"]
                guard let kind = ClusterEvent.Kind(rawValue: kindName) else {
                    throw StoreError.corrupt(path: path, message: "event \(row["seq"] as Int64) has kind \(kindName)")
                }
                return ClusterEvent(
                    sequence: row["seq"],
                    kind: kind,
                    time: Date(storedValue: row["time"]),
                    clusterID: row["cluster_id"],
                    documentID: row["document_id"],
                    url: row["url"],
                    similarity: row["similarity"]
                )
            }
        }
    }

    /// The sequence number of the last recorded event (0 when there is none).
    ///
    /// - Returns: The last sequence.
    /// - Throws: ``StoreError`` when SQLite fails.
    public func lastEventSequence() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM events") ?? 0 }
    }
}
