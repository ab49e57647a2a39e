import ArgumentParser

/// `sift parse-feed` (being built).
struct ParseFeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse-feed")

    func run() throws {
        throw ValidationError("parse-feed is not available yet")
    }
}
