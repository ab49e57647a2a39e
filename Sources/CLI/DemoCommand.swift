import ArgumentParser
import Daemon
import Logging
import Model

/// `sift demo`: the offline demo over the bundled sample site.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Serve the bundled sample site on loopback, run one pass of the pipeline, print the clusters."
    )

    @Option(name: .long, help: "Data directory (default: a fresh ./data/demo).")
    var dataDir: String?

    @Option(name: .long, help: "The sample site directory (default: seeds/site found from here or the executable).")
    var site: String?

    @Flag(name: .long, help: "Log every pipeline event to standard error.")
    var verbose = false

    func run() async throws {
        do {
            let siteDirectory = try Demo.locateSite(explicit: site)
            let logger = Logger(label: "sift") { label in
                LineLogHandler(
                    label: label,
                    format: .logfmt,
                    level: verbose ? .info : .warning,
                    journald: false,
                    sink: LineLogHandler.standardError
                )
            }
            let report = try await Demo.run(site: siteDirectory, dataDirectory: dataDir, logger: logger)
            print("Served \(report.siteDirectory) at \(report.origin)")
            print(
                "Pass: \(report.summary.feedsPolled) feeds, \(report.summary.articlesAdded) articles, "
                    + "\(report.summary.duplicates) near-duplicates, \(report.summary.articlesFailed) failures, "
                    + "\(Int(report.summary.durationSeconds * 1000)) ms")
            print("")
            let stories = report.clusters.filter { $0.members.count > 1 }
            let singletons = report.clusters.filter { $0.members.count == 1 }
            print(
                "\(report.clusters.count) clusters: \(stories.count) stories told by several outlets, "
                    + "\(singletons.count) single articles")
            for (number, cluster) in report.clusters.enumerated() {
                print("")
                print(
                    "[\(number + 1)] \(cluster.title ?? "(untitled)") — \(cluster.members.count) "
                        + (cluster.members.count == 1 ? "article" : "articles"))
                for member in cluster.members {
                    let outlet = member.outlet ?? outletName(member.url)
                    print("    \(outlet): \(member.title ?? member.url)")
                }
            }
            print("")
            print("Cluster directory: \(report.dataDirectory) (clusters/, articles/, events.jsonl, feed.json)")
            print("List it again with: sift clusters --data-dir \(report.dataDirectory)")
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private func outletName(_ url: String) -> String {
        let parts = url.split(separator: "/")
        return parts.count >= 3 ? String(parts[2]) : url
    }
}
