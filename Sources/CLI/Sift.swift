import ArgumentParser

/// `sift`: fetches news feeds, extracts articles, groups near-duplicates into clusters.
@main
struct Sift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sift",
        abstract: "Fetch news feeds, extract the articles, and group near-duplicate stories into clusters.",
        subcommands: [
            RunCommand.self, ClustersCommand.self, DemoCommand.self, StatusCommand.self, CheckConfigCommand.self,
            FeedsCommand.self, ParseFeedCommand.self, ExtractCommand.self, DedupCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

/// The configuration flags shared by the commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "YAML configuration file (default: /etc/sift/sift.yaml if it exists).")
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override one key, e.g. fetch.total_timeout_seconds=20 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: .long, help: "Data directory (overrides data_directory).")
    var dataDir: String?

    /// The overrides with the dedicated flags appended (they win over --set).
    var allOverrides: [String] {
        overrides + (dataDir.map { ["data_directory=\($0)"] } ?? [])
    }
}
