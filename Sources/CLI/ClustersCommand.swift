import ArgumentParser
import ClusterStore
import Daemon
import Foundation
import Model

/// `sift clusters`: lists the clusters of a data directory.
struct ClustersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "List the clusters of a data directory (safe while the daemon writes it)."
    )

    @Option(name: .long, help: "Data directory (default: the configured data_directory).")
    var dataDir: String?

    @Option(name: .long, help: "YAML configuration file, to find the data directory.")
    var config: String?

    @Flag(name: .long, help: "Print a JSON array of {id, title, members: [{url, feed, title, published}]}.")
    var json = false

    func run() async throws {
        do {
            let directory = try await resolveDataDirectory(dataDir: dataDir, config: config)
            let clusters: [ClusterRecord]
            do {
                clusters = try ClusterDirectoryReader(path: directory).clusters()
            } catch {
                throw CommandFailure("cannot read cluster directory \(directory): \(error)")
            }
            if json {
                print(try Self.json(clusters))
            } else {
                for cluster in clusters {
                    print("\(cluster.id)  \(cluster.members.count)  \(cluster.title ?? "(untitled)")")
                    for member in cluster.members {
                        print("    \(member.url)")
                    }
                }
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    static func json(_ clusters: [ClusterRecord]) throws -> String {
        struct Member: Encodable {
            var url: String
            var feed: String?
            var title: String?
            var published: String?
        }
        struct Cluster: Encodable {
            var id: String
            var title: String?
            var members: [Member]
        }
        let output = clusters.map { cluster in
            Cluster(
                id: cluster.id,
                title: cluster.title,
                members: cluster.members.map { member in
                    Member(
                        url: member.url,
                        feed: member.feed,
                        title: member.title,
                        published: member.published.map { $0.formatted(.iso8601) }
                    )
                }
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}

/// `--data-dir` if given, else the configured `data_directory`.
func resolveDataDirectory(dataDir: String?, config: String?) async throws -> String {
    if let dataDir { return dataDir }
    do {
        return try await Configuration.load(configFile: config, environment: ProcessInfo.processInfo.environment)
            .dataDirectory
    } catch {
        throw CommandFailure(error.description)
    }
}
