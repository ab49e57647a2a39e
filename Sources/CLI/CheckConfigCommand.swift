import ArgumentParser
import Daemon
import Foundation

/// `sift check-config`: validates and prints the effective configuration.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print the effective values (file < SIFT_* environment < --set)."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "OPML file or plain list of feeds to add (repeatable).")
    var feeds: [String] = []

    func run() async throws {
        do {
            let runnerOptions = DaemonRunner.Options(
                configFile: options.config,
                overrides: options.allOverrides,
                extraFeedLists: feeds
            )
            let (configuration, resolved) = try await DaemonRunner.load(runnerOptions)
            print(configuration.renderYAML(), terminator: "")
            print("# feeds resolved: \(resolved.count)")
            if let (path, keys) = DaemonRunner.unknownKeys(runnerOptions) {
                for key in keys {
                    FileHandle.standardError.write(Data("warning: unknown configuration key \(key) in \(path)\n".utf8))
                }
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
