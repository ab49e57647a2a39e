import FoundationEssentials
import Glibc
public import Logging
public import Model
import Synchronization

/// The writer of a cluster directory: the public, versioned files downstream tools read.
///
/// Layout (format version 1, see docs/cluster-directory.md):
///
/// ```
/// <dir>/manifest.json              format name, version, creation time, signature parameters
/// <dir>/clusters/<id>.json         one file per cluster, rewritten as it grows
/// <dir>/articles/<document_id>.json  the cleaned text of each article
/// <dir>/events.jsonl               append-only change log, one event per line
/// <dir>/feed.json                  JSON Feed 1.1 of the newest clusters
/// <dir>/sift.lock                  the writer's lock (flock); readers ignore it
/// ```
///
/// Every file appears atomically (temporary file in the same directory, `fsync`, `rename`,
/// `fsync` of the directory), so a reader never sees a partial file. The log is appended in whole
/// lines, each append `fsync`ed; a torn last line left by a crash is truncated when the
/// directory is opened. Only one process may hold a directory open for writing: the
/// initializer takes an exclusive `flock` on `sift.lock`, released when the instance is
/// deallocated.
///
/// The directory is derived from the state database: after a crash the daemon compares
/// ``lastEventSequence()`` with the database's and rewrites what is missing.
public final class ClusterDirectory: Sendable {
    /// The directory path.
    public let path: String
    /// The format version this build writes.
    public static let formatVersion = DirectoryFormat.version

    private let logger: Logger
    private let lockDescriptor: Int32
    private let log: Mutex<EventLog.Tail>

    private var clustersPath: String { path + "/" + DirectoryFormat.clustersDirectory }
    private var articlesPath: String { path + "/" + DirectoryFormat.articlesDirectory }
    private var eventsPath: String { path + "/" + DirectoryFormat.eventsName }
    private var manifestPath: String { path + "/" + DirectoryFormat.manifestName }

    /// Opens a cluster directory for writing, creating its layout and manifest when new.
    ///
    /// Takes the directory's exclusive lock, checks the manifest (refusing another format or a
    /// newer version without touching anything), removes temporary files left by a crash, and
    /// truncates a torn last line of the events log.
    ///
    /// - Parameters:
    ///   - path: The data directory (created with missing parents).
    ///   - signatureParameters: The MinHash parameters in use, recorded in the manifest (a
    ///     change is recorded and logged); `nil` leaves the manifest's value alone.
    ///   - generator: The program name recorded in a new manifest.
    ///   - logger: Where repairs are reported.
    /// - Throws: ``ClusterStoreError/locked(path:)`` when another process writes the directory,
    ///   ``ClusterStoreError/unknownFormat(path:format:)``,
    ///   ``ClusterStoreError/unsupportedVersion(path:found:supported:)``,
    ///   ``ClusterStoreError/corrupt(path:message:)`` for an unreadable manifest, or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public init(
        path: String,
        signatureParameters: SignatureParameters? = nil,
        generator: String = "sift",
        logger: Logger
    ) throws(ClusterStoreError) {
        self.path = path
        self.logger = logger
        try FileSystem.makeDirectories(path)
        let lockPath = path + "/" + DirectoryFormat.lockName
        let fd = try FileSystem.open(lockPath, O_RDWR | O_CREAT)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            FileSystem.close(fd)
            if code == EWOULDBLOCK {
                throw .locked(path: path)
            }
            throw .io(path: lockPath, operation: "flock", errno: code)
        }
        // The holder's pid, for an operator wondering who holds the lock.
        _ = ftruncate(fd, 0)
        _ = try? FileSystem.writeAll(fd, Array("\(getpid())\n".utf8), lockPath)
        lockDescriptor = fd
        log = Mutex(EventLog.Tail(validLength: 0, lastSequence: 0))

        // From here on `deinit` releases the lock if a step fails.
        try prepareManifest(signatureParameters: signatureParameters, generator: generator)
        try FileSystem.makeDirectory(clustersPath)
        try FileSystem.makeDirectory(articlesPath)
        try FileSystem.syncDirectory(path)
        try removeTemporaryFiles()
        let tail = try openEventLog()
        log.withLock { $0 = tail }
    }

    deinit {
        FileSystem.close(lockDescriptor)
    }

    // MARK: - Writing

    /// Writes (or replaces) `clusters/<id>.json` atomically.
    ///
    /// - Parameter cluster: The cluster with all its members.
    /// - Throws: ``ClusterStoreError/invalidIdentifier(_:)`` when the id is not a safe file name,
    ///   or ``ClusterStoreError/io(path:operation:errno:)``.
    public func write(cluster: ClusterRecord) throws(ClusterStoreError) {
        try write(clusters: [cluster])
    }

    /// Writes several cluster files, each atomically, with one directory `fsync` at the end.
    ///
    /// Used to reconcile many clusters at once after a restart.
    ///
    /// - Parameter clusters: The clusters.
    /// - Throws: ``ClusterStoreError/invalidIdentifier(_:)`` or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public func write(clusters: [ClusterRecord]) throws(ClusterStoreError) {
        guard !clusters.isEmpty else { return }
        var files: [(bytes: [UInt8], name: String)] = []
        for cluster in clusters {
            guard DirectoryFormat.isValidIdentifier(cluster.id) else { throw .invalidIdentifier(cluster.id) }
            let name = cluster.id + ".json"
            files.append((try DirectoryFormat.encode(ClusterFile(cluster), path: clustersPath + "/" + name), name))
        }
        try FileSystem.writeAtomically(files, directory: clustersPath)
    }

    /// Writes several article files, each atomically, with one directory `fsync` at the end.
    ///
    /// The batch form of ``write(article:documentID:url:)``: every file is complete under its
    /// final name or absent.
    ///
    /// - Parameter articles: The extracted articles with their document ids and URLs.
    /// - Throws: ``ClusterStoreError/invalidIdentifier(_:)`` (nothing is written) or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public func write(articles: [(article: ExtractedArticle, documentID: String, url: String)])
        throws(ClusterStoreError)
    {
        var files: [(bytes: [UInt8], name: String)] = []
        for entry in articles {
            guard DirectoryFormat.isValidIdentifier(entry.documentID) else {
                throw .invalidIdentifier(entry.documentID)
            }
            let name = entry.documentID + ".json"
            let body = Self.articleFile(entry.article, documentID: entry.documentID, url: entry.url)
            files.append((try DirectoryFormat.encode(body, path: articlesPath + "/" + name), name))
        }
        try FileSystem.writeAtomically(files, directory: articlesPath)
    }

    private static func articleFile(_ article: ExtractedArticle, documentID: String, url: String) -> ArticleFile {
        ArticleFile(
            documentID: documentID,
            url: url,
            canonicalURL: article.canonicalURL,
            title: article.title,
            author: article.author,
            published: article.published.map(Timestamped.init),
            language: article.language,
            paragraphs: article.paragraphs,
            text: article.text
        )
    }

    /// Writes (or replaces) `articles/<document_id>.json` atomically: the cleaned article.
    ///
    /// - Parameters:
    ///   - article: The extracted article.
    ///   - documentID: The article's document id (the file name).
    ///   - url: The article URL.
    /// - Throws: ``ClusterStoreError/invalidIdentifier(_:)`` or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public func write(article: ExtractedArticle, documentID: String, url: String) throws(ClusterStoreError) {
        guard DirectoryFormat.isValidIdentifier(documentID) else { throw .invalidIdentifier(documentID) }
        let name = documentID + ".json"
        let file = articlesPath + "/" + name
        let body = Self.articleFile(article, documentID: documentID, url: url)
        try FileSystem.writeAtomically(
            try DirectoryFormat.encode(body, path: file),
            to: file,
            directory: articlesPath,
            name: name
        )
    }

    /// Appends events to `events.jsonl`, in whole lines, then `fsync`s the log.
    ///
    /// The first event must follow ``lastEventSequence()`` and the rest must follow one another,
    /// so the log stays 1, 2, 3, … without gaps or repeats. If the write fails part-way, the log
    /// is cut back to where it was.
    ///
    /// - Parameter events: The events, in sequence order (empty does nothing).
    /// - Throws: ``ClusterStoreError/notContiguous(path:expected:found:)`` (nothing is written),
    ///   or ``ClusterStoreError/io(path:operation:errno:)``.
    public func append(events: [ClusterEvent]) throws(ClusterStoreError) {
        guard !events.isEmpty else { return }
        let eventsPath = self.eventsPath
        let result: Result<Void, ClusterStoreError> = log.withLock { tail in
            var expected = tail.lastSequence + 1
            var text = ""
            for event in events {
                guard event.sequence == expected else {
                    return .failure(.notContiguous(path: eventsPath, expected: expected, found: event.sequence))
                }
                text += EventLine.encode(event)
                text += "\n"
                expected += 1
            }
            do throws(ClusterStoreError) {
                let fd = try FileSystem.open(eventsPath, O_WRONLY | O_CREAT)
                defer { FileSystem.close(fd) }
                do throws(ClusterStoreError) {
                    _ = try FileSystem.call("lseek", eventsPath) { lseek(fd, off_t(tail.validLength), SEEK_SET) }
                    try FileSystem.writeAll(fd, Array(text.utf8), eventsPath)
                    try FileSystem.fsync(fd, eventsPath)
                } catch {
                    // Cut a partial append back so the log ends on a whole line.
                    _ = ftruncate(fd, off_t(tail.validLength))
                    _ = Glibc.fsync(fd)
                    throw error
                }
                tail.validLength += Int64(text.utf8.count)
                tail.lastSequence = expected - 1
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// The sequence number of the last event in the log (0 when empty).
    ///
    /// - Returns: The last sequence.
    /// - Throws: Never in this version; declared for future formats.
    public func lastEventSequence() throws(ClusterStoreError) -> Int64 {
        log.withLock { $0.lastSequence }
    }

    /// Writes `feed.json`: a JSON Feed 1.1 with one item per cluster, newest first.
    ///
    /// Items are ordered by last update (newest first, then id) and bounded by `limit`. Each
    /// item's `url` and `title` are the representative's; its `_sift` extension lists every
    /// member.
    ///
    /// - Parameters:
    ///   - clusters: Candidate clusters (typically the most recently updated ones).
    ///   - title: The feed title.
    ///   - limit: The most items to keep.
    /// - Throws: ``ClusterStoreError/io(path:operation:errno:)``.
    public func writeFeed(clusters: [ClusterRecord], title: String, limit: Int = 100) throws(ClusterStoreError) {
        let newest = clusters.sorted { left, right in
            left.updated != right.updated ? left.updated > right.updated : left.id < right.id
        }.prefix(max(0, limit))
        let file = path + "/" + DirectoryFormat.feedName
        let bytes = try DirectoryFormat.encode(JSONFeedFile(title: title, clusters: Array(newest)), path: file)
        try FileSystem.writeAtomically(bytes, to: file, directory: path, name: DirectoryFormat.feedName)
    }

    /// The ids of the clusters that have a file in `clusters/`.
    ///
    /// - Returns: The ids.
    /// - Throws: ``ClusterStoreError/io(path:operation:errno:)``.
    public func clusterIDsOnDisk() throws(ClusterStoreError) -> Set<String> {
        try ClusterDirectoryReader.clusterFileIDs(in: clustersPath)
    }

    // MARK: - Opening

    private func prepareManifest(signatureParameters: SignatureParameters?, generator: String) throws(ClusterStoreError)
    {
        let parameters = signatureParameters.map(ManifestFile.Parameters.init)
        if var manifest = try ClusterDirectoryReader.readManifest(at: manifestPath) {
            guard let parameters, manifest.signatureParameters != parameters else { return }
            if manifest.signatureParameters != nil {
                logger.warning(
                    "signature parameters changed; recording the new ones in the manifest",
                    metadata: ["cluster_dir.path": "\(path)"]
                )
            }
            manifest.signatureParameters = parameters
            try FileSystem.writeAtomically(
                try DirectoryFormat.encode(manifest, path: manifestPath),
                to: manifestPath,
                directory: path,
                name: DirectoryFormat.manifestName
            )
            return
        }
        let manifest = ManifestFile(
            format: DirectoryFormat.name,
            version: DirectoryFormat.version,
            created: Timestamped(Date()),
            generator: generator,
            signatureParameters: parameters
        )
        try FileSystem.writeAtomically(
            try DirectoryFormat.encode(manifest, path: manifestPath),
            to: manifestPath,
            directory: path,
            name: DirectoryFormat.manifestName
        )
        logger.info("created cluster directory", metadata: ["cluster_dir.path": "\(path)"])
    }

    /// Removes `.…tmp` files a crash left between creation and rename.
    private func removeTemporaryFiles() throws(ClusterStoreError) {
        for directory in [path, clustersPath, articlesPath] {
            for name in try FileSystem.list(directory) where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                let file = directory + "/" + name
                if unlink(file) == 0 {
                    logger.notice("removed temporary file left by a crash", metadata: ["file.path": "\(file)"])
                }
            }
        }
    }

    /// Creates the events log if missing, and truncates a torn tail.
    private func openEventLog() throws(ClusterStoreError) -> EventLog.Tail {
        let fd = try FileSystem.open(eventsPath, O_RDWR | O_CREAT)
        defer { FileSystem.close(fd) }
        var status = stat()
        _ = try FileSystem.call("fstat", eventsPath) { fstat(fd, &status) }
        let size = Int64(status.st_size)
        let tail = try EventLog.scanTail(fd: fd, size: size, path: eventsPath)
        if tail.validLength < size {
            _ = try FileSystem.call("ftruncate", eventsPath) { ftruncate(fd, off_t(tail.validLength)) }
            try FileSystem.fsync(fd, eventsPath)
            logger.warning(
                "truncated an incomplete end of the events log",
                metadata: [
                    "file.path": "\(eventsPath)", "bytes.removed": "\(size - tail.validLength)",
                    "event.last_seq": "\(tail.lastSequence)",
                ]
            )
        }
        try FileSystem.syncDirectory(path)
        return tail
    }
}
