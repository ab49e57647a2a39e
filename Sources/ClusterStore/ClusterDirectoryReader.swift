import Glibc
public import Model

/// A reader of a cluster directory, for `sift clusters` and downstream tools.
///
/// Safe while the daemon writes: files are replaced atomically, so each read sees a whole file,
/// and an incomplete last line of the events log is ignored. It takes no lock and writes nothing.
public struct ClusterDirectoryReader: Sendable {
    /// The directory path.
    public let path: String

    /// Opens a cluster directory for reading, checking its manifest.
    ///
    /// - Parameter path: The data directory.
    /// - Throws: ``ClusterStoreError/notAClusterDirectory(path:)`` without a manifest,
    ///   ``ClusterStoreError/unknownFormat(path:format:)``,
    ///   ``ClusterStoreError/unsupportedVersion(path:found:supported:)``, or
    ///   ``ClusterStoreError/corrupt(path:message:)`` for an unreadable manifest.
    public init(path: String) throws(ClusterStoreError) {
        self.path = path
        guard try Self.readManifest(at: path + "/" + DirectoryFormat.manifestName) != nil else {
            throw .notAClusterDirectory(path: path)
        }
    }

    /// Reads every cluster file.
    ///
    /// - Returns: The clusters, sorted by creation time, then id.
    /// - Throws: ``ClusterStoreError/corrupt(path:message:)`` for a file that is not a cluster,
    ///   or ``ClusterStoreError/io(path:operation:errno:)``.
    public func clusters() throws(ClusterStoreError) -> [ClusterRecord] {
        let directory = path + "/" + DirectoryFormat.clustersDirectory
        var records: [ClusterRecord] = []
        for id in try Self.clusterFileIDs(in: directory) {
            if let record = try cluster(id: id) {
                records.append(record)
            }
        }
        return records.sorted { left, right in
            left.created != right.created ? left.created < right.created : left.id < right.id
        }
    }

    /// Reads one cluster file.
    ///
    /// - Parameter id: The cluster id.
    /// - Returns: The cluster, or `nil` when it has no file.
    /// - Throws: ``ClusterStoreError/corrupt(path:message:)`` or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public func cluster(id: String) throws(ClusterStoreError) -> ClusterRecord? {
        guard DirectoryFormat.isValidIdentifier(id) else { return nil }
        let file = path + "/" + DirectoryFormat.clustersDirectory + "/" + id + ".json"
        guard let bytes = try FileSystem.readFile(file) else { return nil }
        return try DirectoryFormat.decode(ClusterFile.self, from: bytes, path: file).record
    }

    /// Reads the events after a sequence number, in order.
    ///
    /// - Parameter sequence: The last sequence already processed (0 for all).
    /// - Returns: The complete events with a greater sequence.
    /// - Throws: ``ClusterStoreError/corrupt(path:message:)`` for a bad complete line, or
    ///   ``ClusterStoreError/io(path:operation:errno:)``.
    public func events(after sequence: Int64) throws(ClusterStoreError) -> [ClusterEvent] {
        let file = path + "/" + DirectoryFormat.eventsName
        guard let bytes = try FileSystem.readFile(file) else { return [] }
        return try EventLog.parse(bytes, after: sequence, path: file)
    }

    /// The format version in the manifest.
    ///
    /// - Returns: The version number.
    /// - Throws: ``ClusterStoreError/notAClusterDirectory(path:)`` or
    ///   ``ClusterStoreError/corrupt(path:message:)``.
    public func manifestVersion() throws(ClusterStoreError) -> Int {
        guard let manifest = try Self.readManifest(at: path + "/" + DirectoryFormat.manifestName) else {
            throw .notAClusterDirectory(path: path)
        }
        return manifest.version
    }

    /// The signature parameters recorded in the manifest, if any.
    ///
    /// - Returns: The parameters, or `nil` when the manifest has none.
    /// - Throws: ``ClusterStoreError/notAClusterDirectory(path:)`` or
    ///   ``ClusterStoreError/corrupt(path:message:)``.
    public func signatureParameters() throws(ClusterStoreError) -> SignatureParameters? {
        guard let manifest = try Self.readManifest(at: path + "/" + DirectoryFormat.manifestName) else {
            throw .notAClusterDirectory(path: path)
        }
        return manifest.signatureParameters.map { parameters in
            SignatureParameters(
                permutations: parameters.permutations,
                seed: parameters.seed,
                shingleSize: parameters.shingleSize,
                schemeVersion: parameters.schemeVersion
            )
        }
    }

    // MARK: - Shared with the writer

    /// Reads and checks a manifest; `nil` when the file does not exist.
    static func readManifest(at file: String) throws(ClusterStoreError) -> ManifestFile? {
        guard let bytes = try FileSystem.readFile(file) else { return nil }
        let manifest = try DirectoryFormat.decode(ManifestFile.self, from: bytes, path: file)
        guard manifest.format == DirectoryFormat.name else {
            throw .unknownFormat(path: file, format: manifest.format)
        }
        guard manifest.version <= DirectoryFormat.version, manifest.version >= 1 else {
            throw .unsupportedVersion(path: file, found: manifest.version, supported: DirectoryFormat.version)
        }
        return manifest
    }

    /// The ids of the `*.json` files of a `clusters/` directory (temporary files excluded).
    static func clusterFileIDs(in directory: String) throws(ClusterStoreError) -> Set<String> {
        var ids = Set<String>()
        let names: [String]
        do {
            names = try FileSystem.list(directory)
        } catch {
            // A directory whose manifest was just written may not have `clusters/` yet.
            if case .io(_, _, let code) = error, code == ENOENT { return ids }
            throw error
        }
        for name in names where !name.hasPrefix(".") && name.hasSuffix(".json") {
            ids.insert(String(name.dropLast(5)))
        }
        return ids
    }
}
