import ArgumentParser
import Daemon
import Model

/// `sift feeds`: feed list tools.
struct FeedsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds",
        abstract: "Feed list tools.",
        subcommands: [ImportCommand.self]
    )

    /// `sift feeds import FILE`: prints the feeds of an OPML file or plain list, one URL a line.
    struct ImportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Print the feeds of an OPML file (or plain list) as a plain list for feed_lists or --feeds."
        )

        @Argument(help: "The OPML file or plain list.")
        var file: String

        func run() async throws {
            do {
                for feed in try FeedLists.read(path: file) {
                    if let title = feed.title {
                        print("# \(title)")
                    }
                    print(feed.url)
                }
            } catch {
                throw CommandFailure(error.description)
            }
        }
    }
}
