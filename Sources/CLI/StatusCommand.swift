import ArgumentParser
import Daemon
import Foundation

/// `sift status`: per-feed health and totals.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show per-feed health and totals of a data directory."
    )

    @Option(name: .long, help: "Data directory (default: the configured data_directory).")
    var dataDir: String?

    @Option(name: .long, help: "YAML configuration file, to find the data directory.")
    var config: String?

    func run() async throws {
        let directory = try await resolveDataDirectory(dataDir: dataDir, config: config)
        let report: StatusReport
        do {
            report = try StatusReport.load(dataDirectory: directory)
        } catch {
            throw CommandFailure(error.description)
        }
        print(report.rendered(now: Date()), terminator: "")
    }
}
