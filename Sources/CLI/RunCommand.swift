import ArgumentParser
import Daemon

/// `sift run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll the feeds and write clusters until SIGTERM/SIGINT (SIGHUP reloads the configuration)."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Run one pass over every feed and exit.")
    var once = false

    @Option(name: .long, help: "OPML file or plain list (one URL a line) of feeds to add (repeatable).")
    var feeds: [String] = []

    @Flag(name: .long, help: "Allow fetching loopback and private addresses (tests, local sites).")
    var allowPrivateAddresses = false

    func run() async throws {
        var overrides = options.allOverrides
        if allowPrivateAddresses { overrides.append("fetch.allow_private_addresses=true") }
        let runnerOptions = DaemonRunner.Options(
            configFile: options.config,
            overrides: overrides,
            extraFeedLists: feeds
        )
        do {
            if once {
                _ = try await DaemonRunner.runOnce(runnerOptions)
            } else {
                try await DaemonRunner.runService(runnerOptions)
            }
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// A failure reported as one line on standard error with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
