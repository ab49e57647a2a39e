import ClusterStore
import Fetch
public import Foundation
import HTTPServer
public import Logging
public import Model
import Synchronization

/// What `sift demo` did: the clusters it produced and where they are.
public struct DemoReport: Sendable {
    /// The sample site that was served.
    public var siteDirectory: String
    /// The loopback origin it was served on.
    public var origin: String
    /// The data directory the cluster directory was written to.
    public var dataDirectory: String
    /// What the pass did.
    public var summary: PassSummary
    /// The clusters, largest first, then by title.
    public var clusters: [ClusterRecord]
}

/// The offline demo: serves the bundled sample site on a loopback port and runs one pass of the
/// real pipeline (libcurl, libxml2, MinHash, SQLite, cluster files) against it.
public enum Demo {
    /// Finds `seeds/site`: `explicit` if given, else under the current directory or one of its
    /// parents, else next to the executable or one of its parents.
    ///
    /// - Parameters:
    ///   - explicit: `--site DIR`.
    ///   - currentDirectory: The working directory.
    ///   - executablePath: The running executable's path.
    /// - Returns: The site directory (it contains `feeds.txt`).
    /// - Throws: ``DaemonError/siteNotFound(searched:)``.
    public static func locateSite(
        explicit: String?,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String = CommandLine.arguments.first ?? ""
    ) throws(DaemonError) -> String {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit + "/feeds.txt") else {
                throw .siteNotFound(searched: [explicit])
            }
            return explicit
        }
        var searched: [String] = []
        let executable = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for start in [URL(fileURLWithPath: currentDirectory), executable] {
            var directory = start.standardizedFileURL
            for _ in 0..<8 {
                let candidate = directory.appendingPathComponent("seeds/site").path
                searched.append(candidate)
                if FileManager.default.fileExists(atPath: candidate + "/feeds.txt") { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw .siteNotFound(searched: Array(searched.prefix(2)))
    }

    /// Serves the site, runs one pass, and reads back the clusters.
    ///
    /// - Parameters:
    ///   - site: The site directory (see ``locateSite(explicit:currentDirectory:executablePath:)``).
    ///   - dataDirectory: Where to write; `nil` uses a fresh `./data/demo` (emptied first).
    ///   - logger: Where pipeline events are logged.
    /// - Returns: The report.
    /// - Throws: ``DaemonError`` when the site, the server or the data directory fails.
    public static func run(site: String, dataDirectory: String?, logger: Logger) async throws(DaemonError)
        -> DemoReport
    {
        let data = dataDirectory ?? "./data/demo"
        if dataDirectory == nil, FileManager.default.fileExists(atPath: data) {
            do {
                try FileManager.default.removeItem(atPath: data)
            } catch {
                throw .dataDirectory(path: data, message: "cannot empty it: \(error.localizedDescription)")
            }
        }
        let server: LoopbackHTTPServer
        let origin = OriginBox()
        do {
            server = try LoopbackHTTPServer(
                maxLifetimeSeconds: 600,
                handler: LoopbackHTTPServer.staticSite(root: site, origin: { origin.value })
            )
        } catch {
            throw .server(message: "\(error)")
        }
        defer { server.stop() }
        origin.set(server.origin)
        let feeds = try feedSources(site: site, origin: server.origin)
        var configuration = Configuration()
        configuration.dataDirectory = data
        configuration.feeds = feeds
        configuration.fetch.allowPrivateAddresses = true
        configuration.fetch.perHostDelaySeconds = 0
        configuration.fetch.maxConcurrentPerHost = 8
        let pipeline = try await Pipeline(configuration: configuration, feeds: feeds, logger: logger)
        let summary = await pipeline.runPass(all: true)
        await pipeline.shutdown()
        let clusters: [ClusterRecord]
        do {
            clusters = try ClusterDirectoryReader(path: data).clusters()
        } catch {
            throw .dataDirectory(path: data, message: "\(error)")
        }
        return DemoReport(
            siteDirectory: site,
            origin: server.origin,
            dataDirectory: URL(fileURLWithPath: data).standardizedFileURL.path,
            summary: summary,
            clusters: clusters.sorted { ($0.members.count, $1.title ?? "") > ($1.members.count, $0.title ?? "") }
        )
    }

    /// The site's feeds: the origin joined with each path of `feeds.txt`.
    ///
    /// - Parameters:
    ///   - site: The site directory.
    ///   - origin: The server origin.
    /// - Returns: The feeds.
    /// - Throws: ``DaemonError/feedListUnreadable(path:message:)``.
    public static func feedSources(site: String, origin: String) throws(DaemonError) -> [FeedSource] {
        let path = site + "/feeds.txt"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .feedListUnreadable(path: path, message: "no such file or not readable")
        }
        return String(decoding: data, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { FeedSource(url: origin + ($0.hasPrefix("/") ? $0 : "/" + $0)) }
    }
}

/// Holds the server origin for the static-site handler (known only once the server listens).
final class OriginBox: Sendable {
    private let storage = Mutex("")

    var value: String { storage.withLock { $0 } }

    func set(_ origin: String) {
        storage.withLock { $0 = origin }
    }
}
